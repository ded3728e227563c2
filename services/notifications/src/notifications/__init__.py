"""Convene's notifications service: every fact becomes exactly one good email."""
