"""Delivery plumbing shared by Convene's services: how an event gets out exactly once
(transactional outbox + relay) and in exactly once (inbox + safe commits + dead letters)."""
