"""The optional Kafka and Postgres from the Strimzi and CloudNativePG operators: three brokers
that survive the loss of one, Convene's topics as the contracts name them, three Postgres
instances with the three databases, and the services pointed at both."""

from convene_contracts.topics import ALL_TOPICS, SHORT_RETENTION_DAYS, dead_letter_topic
from tests.deploy.chart import PRODUCTION, SERVICES, KubeTools, Manifest, env_of, of_kind, render

DATA_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Database"}
DAY_MS = 86_400_000


def test_kafka_is_three_kraft_brokers_that_may_lose_one(production_render: list[Manifest]) -> None:
    (pool,) = of_kind(production_render, "KafkaNodePool")
    assert pool["spec"]["replicas"] == 3
    assert sorted(pool["spec"]["roles"]) == ["broker", "controller"]
    (kafka,) = of_kind(production_render, "Kafka")
    assert kafka["metadata"]["annotations"]["strimzi.io/kraft"] == "enabled"
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    config = kafka["spec"]["kafka"]["config"]
    assert (config["default.replication.factor"], config["min.insync.replicas"]) == (3, 2)
    assert config["offsets.topic.replication.factor"] == 3


def test_the_topics_are_the_contracts_topics(production_render: list[Manifest]) -> None:
    topics = {t["spec"]["topicName"]: t["spec"] for t in of_kind(production_render, "KafkaTopic")}
    assert set(topics) == {name for topic in ALL_TOPICS for name in (topic, dead_letter_topic(topic))}
    for name, spec in topics.items():
        days = SHORT_RETENTION_DAYS.get(name.removesuffix(".dlq"), 7)
        assert (spec["replicas"], spec["config"]["min.insync.replicas"]) == (3, 2)
        assert spec["partitions"] == 6  # values-production.yaml's kafka.topicPartitions
        assert spec["config"]["retention.ms"] == days * DAY_MS, name


def test_postgres_is_three_instances_with_the_three_databases(production_render: list[Manifest]) -> None:
    (cluster,) = of_kind(production_render, "Cluster")
    assert cluster["spec"]["instances"] == 3
    databases = {cluster["spec"]["bootstrap"]["initdb"]["database"]}
    databases |= {d["spec"]["name"] for d in of_kind(production_render, "Database")}
    assert databases == set(SERVICES)
    owner = cluster["spec"]["bootstrap"]["initdb"]["owner"]
    assert {d["spec"]["owner"] for d in of_kind(production_render, "Database")} == {owner}


def test_the_services_use_the_operators_kafka_and_postgres(production_render: list[Manifest]) -> None:
    (kafka,) = of_kind(production_render, "Kafka")
    (cluster,) = of_kind(production_render, "Cluster")
    for deployment in of_kind(production_render, "Deployment"):
        service = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        env = env_of(deployment["spec"]["template"]["spec"]["containers"][0])
        assert env["KAFKA_BOOTSTRAP_SERVERS"]["value"] == f"{kafka['metadata']['name']}-kafka-bootstrap:9092"
        host = f"{cluster['metadata']['name']}-rw"
        assert env["DATABASE_URL"]["value"] == f"postgresql://convene:$(CNPG_APP_PASSWORD)@{host}:5432/{service}"
        # Kubernetes expands $(NAME) only from a variable defined before it.
        names = list(env)
        assert names.index("CNPG_APP_PASSWORD") < names.index("DATABASE_URL")
        assert env["CNPG_APP_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == f"{cluster['metadata']['name']}-app"


def test_a_first_install_can_take_the_data_part_first(kube_tools: KubeTools) -> None:
    data = render(kube_tools, PRODUCTION, sets={"part": "data"})
    assert {m["kind"] for m in data} == DATA_KINDS
    services = render(kube_tools, PRODUCTION, sets={"part": "services"})
    assert not {m["kind"] for m in services} & DATA_KINDS
    assert len(of_kind(services, "Deployment")) == 3


def test_one_instance_gets_no_disruption_budget(default_render: list[Manifest]) -> None:
    # No budget keeps a single pod up through a drain, and one that tried would block the drain.
    assert not of_kind(default_render, "PodDisruptionBudget")
    assert not of_kind(default_render, "HorizontalPodAutoscaler")
    assert {d["spec"]["replicas"] for d in of_kind(default_render, "Deployment")} == {1}
