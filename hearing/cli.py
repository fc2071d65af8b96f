"""The `hearing` command (also `flask --app hearing`): demo data, users, imports, exports."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Role, User

PASSWORD_ENV = "HEARING_USER_PASSWORD"
MIN_PASSWORD_LENGTH = 12


def main() -> None:
    from hearing import create_app

    FlaskGroup(create_app=create_app, help="Høringsløsningen: hearing tool commands.").main()


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role], case_sensitive=False),
    default=Role.ANALYST.value,
    show_default=True,
    help="admin: users and consultations; analyst: read, synthesis, exports.",
)
@click.option(
    "--password-env",
    default=PASSWORD_ENV,
    show_default=True,
    help="Read the password from this environment variable instead of prompting.",
)
def create_user_command(email: str, role: str, password_env: str) -> None:
    """Create a secretariat user (or reset the password and role of an existing one)."""
    from hearing import audit

    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter(
            "ugyldig e-postadresse / invalid e-mail address", param_hint="EMAIL"
        )
    password = os.environ.get(password_env) or click.prompt(
        "Passord", hide_input=True, confirmation_prompt=True
    )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    created = user is None
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.role = role.lower()
    user.active = True
    user.set_password(password)
    db.session.flush()
    audit.record("user.create" if created else "user.update", target=user, actor="cli", role=role)
    db.session.commit()
    click.echo(f"{'Opprettet' if created else 'Oppdatert'} {email} ({user.role}).")


@click.command("demo")
@click.option("--replace", is_flag=True, help="Delete and recreate the demo consultation.")
@click.option(
    "--admin-email",
    default=None,
    help="Also create this admin when no user exists yet; the password is read from "
    f"{PASSWORD_ENV} or generated and printed once.",
)
def demo_command(replace: bool, admin_email: str | None) -> None:
    """Load the demo consultation with the responses of seed 004."""
    from hearing import audit
    from hearing.demo import load_demo

    consultation, responses, created = load_demo(replace=replace)
    state = "lastet" if created else "fantes allerede"
    click.echo(
        f"Demo-høringen «{consultation.title}» {state} ({responses} svar): /h/{consultation.slug}"
    )
    if admin_email and db.session.scalar(select(func.count(User.id))) == 0:
        password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
        user = User(email=admin_email.strip().lower(), role=Role.ADMIN)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        audit.record("user.create", target=user, actor="cli", role=Role.ADMIN.value)
        shown = "(fra " + PASSWORD_ENV + ")" if os.environ.get(PASSWORD_ENV) else password
        click.echo(f"Administrator opprettet: {user.email} / passord: {shown}")
    db.session.commit()


def init_app(app: Flask) -> None:
    from hearing.cli_data import COMMANDS as DATA_COMMANDS
    from hearing.cli_exports import COMMANDS as EXPORT_COMMANDS
    from hearing.cli_imports import COMMANDS as IMPORT_COMMANDS
    from hearing.cli_letters import COMMANDS as LETTER_COMMANDS
    from hearing.cli_mail import COMMANDS as MAIL_COMMANDS
    from hearing.cli_publication import COMMANDS as PUBLICATION_COMMANDS
    from hearing.cli_synthesis import COMMANDS as SYNTHESIS_COMMANDS

    for command in (
        create_user_command,
        demo_command,
        *IMPORT_COMMANDS,
        *LETTER_COMMANDS,
        *EXPORT_COMMANDS,
        *DATA_COMMANDS,
        *SYNTHESIS_COMMANDS,
        *PUBLICATION_COMMANDS,
        *MAIL_COMMANDS,
    ):
        app.cli.add_command(command)
