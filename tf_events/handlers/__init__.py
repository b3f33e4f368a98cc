"""One handler per command: it loads aggregates, lets them decide, saves, and returns its
result. The registry below is how `TicketFlower.handle` finds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tf_events import commands as c
from tf_events.handlers import assistant, definitions, taking_back, tasks, tickets, users
from tf_events.handlers.notification_preferences import set_notification_preferences

HANDLERS: dict[type[c.Command[Any]], Callable[[Any, Any], Any]] = {
    c.RegisterUser: users.register_user,
    c.ChangeRoles: users.change_roles,
    c.ChangePassword: users.change_password,
    c.ChangeOwnPassword: users.change_own_password,
    c.SetTemporaryPassword: users.set_temporary_password,
    c.DeactivateUser: users.deactivate_user,
    c.ReactivateUser: users.reactivate_user,
    c.SetAway: users.set_away,
    c.CreateApiToken: users.create_api_token,
    c.RevokeApiToken: users.revoke_api_token,
    c.Define: definitions.define,
    c.ReviseDefinition: definitions.revise_definition,
    c.ArchiveDefinition: definitions.archive_definition,
    c.RestoreDefinition: definitions.restore_definition,
    c.ImportDefinitionSet: definitions.import_definition_set,
    c.SubmitTicket: tickets.submit_ticket,
    c.CommentOnTicket: tickets.comment_on_ticket,
    c.ClaimTask: tasks.claim_task,
    c.ReleaseTask: tasks.release_task,
    c.AssignTask: tasks.assign_task,
    c.TakeBackTask: taking_back.take_back_task,
    c.SaveTaskDraft: tasks.save_task_draft,
    c.CompleteTask: tasks.complete_task,
    c.FailTask: tasks.fail_task,
    c.ReopenTask: tasks.reopen_task,
    c.CancelTicket: tasks.cancel_ticket,
    c.WithdrawTicket: tasks.withdraw_ticket,
    c.StartConversation: assistant.start_conversation,
    c.PostMessage: assistant.post_message,
    c.ProposeDraft: assistant.propose_draft,
    c.AcceptDraft: assistant.accept_draft,
    c.SetNotificationPreferences: set_notification_preferences,
}
