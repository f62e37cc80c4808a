"""Helpers shared by the route modules."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from server.config import Settings
from server.errors import ApiError
from server.models import Account, Plan
from server.schemas import Me, PlanOut, PolicyStatus


def plan_of(s: Session, account: Account) -> Plan:
    plan = s.get(Plan, account.plan_code)
    if plan is None:  # a plan is never deleted while accounts use it (FK); defensive
        raise ApiError(500, "internal_error", "Offre inconnue.")
    return plan


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        code=plan.code,
        name=plan.name,
        monthly_tokens=plan.monthly_tokens,
        sync_enabled=plan.sync_enabled,
        max_sessions=plan.max_sessions,
        price_cents=plan.price_cents,
    )


def me_of(s: Session, account: Account, settings: Settings) -> Me:
    return Me(
        id=account.id,
        email=account.email,
        first_name=account.first_name,
        last_name=account.last_name,
        created_at=account.created_at,
        plan=plan_out(plan_of(s, account)),
        subscription_status=account.subscription_status,
        restricted=account.restricted,
        objected=account.objected,
        policy=PolicyStatus(
            current_version=settings.privacy_policy_version,
            acknowledged_version=account.policy_version,
            acknowledged_at=account.policy_acknowledged_at,
            up_to_date=account.policy_version == settings.privacy_policy_version,
        ),
    )


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def ensure_not_restricted(restricted: bool) -> None:
    """Restriction of processing (GDPR art. 18): the data stays, but sync and analysis stop."""
    if restricted:
        raise ApiError(
            403,
            "processing_restricted",
            "Le traitement de vos données est limité à votre demande : la synchronisation et l'analyse "
            "sont suspendues. Levez la limitation dans les paramètres du compte pour les reprendre.",
        )
