"""Where the test stack started by `./convene test` listens (read from the environment)."""

import os

import pytest


def stack_setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run the suite with ./convene test, which starts Kafka, Postgres and stripe-mock"
        )
    return value


def postgres_admin_dsn() -> str:
    return stack_setting("CONVENE_TEST_POSTGRES")


def kafka_bootstrap() -> str:
    return stack_setting("CONVENE_TEST_KAFKA")


def stripe_api_base() -> str:
    return stack_setting("CONVENE_TEST_STRIPE")


def chromium_path() -> str:
    return stack_setting("CONVENE_TEST_CHROMIUM")


def axe_script() -> str:
    return stack_setting("CONVENE_TEST_AXE")


def artifacts_dir() -> str:
    return stack_setting("CONVENE_TEST_ARTIFACTS")


def asyncapi_parser_modules() -> str:
    """The node_modules folder holding @asyncapi/parser (NODE_PATH for tools/asyncapi/validate.cjs)."""
    return stack_setting("CONVENE_TEST_ASYNCAPI_PARSER")
