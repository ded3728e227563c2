"""The topic settings (KAFKA_TOPIC_*): one broker's defaults, and a refusal at start of in-sync
copies that no write could ever meet."""

import pytest

from convene_service.settings import ConfigurationError, ServiceSettings, load_settings

REQUIRED = {
    "DATABASE_URL": "postgresql://convene@127.0.0.1/x",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
    "OPERATOR_TOKEN_SHA256": "0" * 64,
}


def test_the_defaults_suit_a_single_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(ServiceSettings)
    assert (settings.kafka_topic_replication_factor, settings.kafka_topic_min_insync_replicas) == (1, 1)


def test_three_copies_two_in_sync_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KAFKA_TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2")
    settings = load_settings(ServiceSettings)
    assert (settings.kafka_topic_replication_factor, settings.kafka_topic_min_insync_replicas) == (3, 2)


def test_more_in_sync_copies_than_copies_stops_the_start_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2")
    with pytest.raises(ConfigurationError, match="KAFKA_TOPIC_MIN_INSYNC_REPLICAS must not exceed"):
        load_settings(ServiceSettings)
