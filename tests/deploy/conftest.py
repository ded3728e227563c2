from pathlib import Path

import pytest

from tests.deploy.chart import PRODUCTION, SERVICES, KubeTools, Manifest, render, wait_for_kube_tools

MONITORING = ("monitoring.coreos.com/v1",)
# Secret values a test can look for in what the chart renders (none is a real secret).
INLINE_SECRETS = {
    "secretValues.shared.OPERATOR_TOKEN_SHA256": "a" * 64,
    "secretValues.shared.SESSION_SECRET": "session-secret-that-must-stay-in-a-secret-0001",
    "secretValues.shared.STRIPE_SECRET_KEY": "sk_live_mustStayInASecret0002",
    "secretValues.membership.DATABASE_URL": "postgresql://convene:pw-membership-0003@pg:5432/membership",
    "secretValues.membership.STRIPE_WEBHOOK_SECRET": "whsec_membership_0004",
    "secretValues.conference.DATABASE_URL": "postgresql://convene:pw-conference-0005@pg:5432/conference",
    "secretValues.conference.STRIPE_WEBHOOK_SECRET": "whsec_conference_0006",
    "secretValues.conference.ATTENDEE_LINK_SECRET": "attendee-link-secret-that-stays-secret-0007",
    "secretValues.notifications.DATABASE_URL": "postgresql://convene:pw-notifications-0008@pg:5432/notifications",
    "secretValues.notifications.UNSUBSCRIBE_SECRET": "unsubscribe-secret-that-stays-secret-0009",
    "secretValues.notifications.SMTP_PASSWORD": "smtp-password-0010",
    **{f"services.{service}.existingSecret": "" for service in SERVICES},
}


@pytest.fixture(scope="session")
def kube_tools() -> KubeTools:
    return wait_for_kube_tools()


@pytest.fixture(scope="session")
def default_render(kube_tools: KubeTools) -> list[Manifest]:
    return render(kube_tools)


@pytest.fixture(scope="session")
def production_render(kube_tools: KubeTools) -> list[Manifest]:
    return render(kube_tools, PRODUCTION, api_versions=MONITORING)


@pytest.fixture(scope="session")
def inline_secrets_render(kube_tools: KubeTools) -> list[Manifest]:
    return render(kube_tools, sets=INLINE_SECRETS)


@pytest.fixture(scope="session")
def schemas_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kube-schemas")
