"""The public submission read tables: publications, public tickets' contacts and status
link hashes, and each day's count of public tickets per type."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.public.intake import DailyIntake
from tf_events.public.publication import Publication
from tf_events.public.submission import PublicSubmission
from tf_projections.read_model import ReadModel, handles


class PublicReadModel(ReadModel):
    name = "public"
    schema_file = "public.sql"
    tables = ("publications", "public_submissions", "public_intake")

    @handles(Publication.Published)
    def published(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO publications (ticket_type_key, published, origins, contact,"
            " contact_from, daily_cap, updated_by, updated_at, version)"
            " VALUES (%s, true, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (ticket_type_key) DO UPDATE SET published = true,"
            " origins = EXCLUDED.origins, contact = EXCLUDED.contact,"
            " contact_from = EXCLUDED.contact_from,"
            " daily_cap = EXCLUDED.daily_cap, updated_by = EXCLUDED.updated_by,"
            " updated_at = EXCLUDED.updated_at, version = EXCLUDED.version",
            (
                _type_key(event),
                list(event.origins),
                list(event.contact),
                Jsonb(event.contact_from),
                event.daily_cap,
                event.by,
                event.timestamp,
                event.originator_version,
            ),
        )

    @handles(Publication.Unpublished)
    def unpublished(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE publications SET published = false, updated_by = %s, updated_at = %s,"
            " version = %s WHERE ticket_type_key = %s",
            (event.by, event.timestamp, event.originator_version, _type_key(event)),
        )

    @handles(PublicSubmission.Received)
    def received(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO public_submissions (submitter_id, ticket_id, ticket_type_key, name,"
            " email, contact, status_token_hash, received_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.ticket_id,
                event.ticket_type_key,
                event.contact.get("name", ""),
                event.email,
                Jsonb(event.contact),
                event.status_token_hash,
                event.timestamp,
            ),
        )

    @handles(DailyIntake.Admitted)
    def admitted(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO public_intake (ticket_type_key, day, admitted)"
            " VALUES (%s, %s::date, 1)"
            " ON CONFLICT (ticket_type_key, day) DO UPDATE"
            " SET admitted = public_intake.admitted + 1",
            _intake_of(event),
        )


def _type_key(event: Any) -> str:
    return str(event.ticket_type_key)


def _intake_of(event: Any) -> tuple[str, str]:
    return str(event.ticket_type_key), str(event.day)
