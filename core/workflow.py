"""The one workflow helper every state machine of the platform uses.

A machine is a TRANSITIONS table: (from-state, to-state) → Move(roles allowed, guard, audit verb). `transition()` checks
the move and the actor, changes the status race-safely, writes a StatusChange row and an audit event in the same
transaction and schedules notifications with transaction.on_commit.

Race safety: the status is changed with a conditional UPDATE (… WHERE pk = x AND status = old). On PostgreSQL's READ
COMMITTED a naive read-check-write lets two approvals through; here the second UPDATE matches no row and is refused.
On SQLite, BEGIN IMMEDIATE serialises writers and the same conditional UPDATE gives the same answer.
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core import roles as role_rules
from core.audit import log_action
from core.models import StatusChange


class WorkflowError(Exception):
    """A refused move; str(error) is a Chinese message that says why."""

    def __init__(self, message, *, code="refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class ConcurrentTransitionError(WorkflowError):
    def __init__(self, message="该记录已被他人处理，请刷新后重试。"):
        super().__init__(message, code="concurrent")


@dataclass(frozen=True)
class Move:
    """One legal move. `roles`: role codes allowed to make it (empty = anyone the guard accepts).

    `guard(obj, by)` returns None when the move may happen, else a Chinese message saying why not. `verb` names the
    audit action (defaults to the target state). `notify(obj, by, move, note)` is called after commit.
    `reason_required`: a negative or final decision — transition() refuses it without a note (the reason), whoever
    calls it (page, API, another service); forms ask for it too, but the rule lives here.
    """

    roles: frozenset = frozenset()
    guard: Callable | None = None
    verb: str = ""
    notify: Callable | None = None
    label: str = ""
    reason_required: bool = False


@dataclass
class Machine:
    """A state machine over `model.<field>`: TRANSITIONS is {(from, to): Move}."""

    name: str
    model: type
    transitions: dict
    field: str = "status"
    audit_prefix: str = ""
    # Extra check applied to every move: (obj, by, move) -> message or None. Used for data scope (e.g. 系部).
    scope_guard: Callable | None = None
    has_role: Callable | None = None
    # A machine of the read-only roles' own supervision work (oversight's 监督意见): its moves may name 纪检办 and the
    # holder of a read-only role may make them. Every other machine refuses such a role outright.
    supervision: bool = False
    _choices: dict = dataclasses.field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.transitions = {
            (str(src), str(dst)): (move if isinstance(move, Move) else Move(**move))
            for (src, dst), move in self.transitions.items()
        }
        # The read-only roles come from accounts (core.roles): checked now, or when accounts installs them.
        role_rules.on_install(self._refuse_read_only_roles)
        model_field = self.model._meta.get_field(self.field)
        self._choices = {str(k): str(v) for k, v in (model_field.choices or [])}
        if not self.audit_prefix:
            self.audit_prefix = self.model._meta.label_lower
        if self.has_role is None:
            self.has_role = role_rules.has_role

    def _refuse_read_only_roles(self, rules):
        if self.supervision:
            return
        for (src, dst), move in self.transitions.items():
            if move.roles & rules.read_only_roles:
                raise ImproperlyConfigured(f"{self.name}: {src}→{dst} lets a read-only role write ({move.roles}).")

    def label(self, state):
        return self._choices.get(str(state), str(state))

    def targets(self, state) -> Iterable[str]:
        return [dst for (src, dst) in self.transitions if src == str(state)]

    def check(self, obj, to, *, by, current=None):
        """Return the Move if `by` may move obj from its current state to `to`; else raise WorkflowError."""
        current = str(getattr(obj, self.field) if current is None else current)
        to = str(to)
        move = self.transitions.get((current, to))
        if move is None:
            raise WorkflowError(f"不能从「{self.label(current)}」变为「{self.label(to)}」", code="illegal")
        if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
            raise WorkflowError("请先登录。", code="actor")
        # 纪检办 / 校领导 make no move, not even an owner's move on their own record — but on a supervision machine
        if role_rules.is_read_only(by) and not self.supervision:
            raise WorkflowError(role_rules.rules().read_only_message, code="role")
        if move.roles and not self.has_role(by, *move.roles):
            raise WorkflowError(
                f"您没有权限执行「{move.label or self.label(to)}」（需要角色：{_role_labels(move.roles)}）。",
                code="role",
            )
        if self.scope_guard is not None:
            message = self.scope_guard(obj, by, move)
            if message:
                raise WorkflowError(message, code="scope")
        if move.guard is not None:
            message = move.guard(obj, by)
            if message:
                raise WorkflowError(message, code="guard")
        return move

    def allowed_targets(self, obj, *, by):
        """The states `by` could move obj to now (for showing buttons)."""
        result = []
        for to in self.targets(getattr(obj, self.field)):
            try:
                self.check(obj, to, by=by)
            except WorkflowError:
                continue
            result.append(to)
        return result


def next_actors(machine, state, *, forward=None):
    """Who acts next on an object in `state`, from the TRANSITIONS table: the role codes of the moves out of `state`
    (`forward`: only these targets, e.g. the moves that carry the process on); an empty role set is the owner's move,
    returned as None. For steppers ("下一步：系部主任审核")."""
    actors = []
    for target in machine.targets(state):
        if forward is not None and target not in forward:
            continue
        roles = machine.transitions[(str(state), target)].roles
        for actor in sorted(roles) if roles else [None]:
            if actor not in actors:
                actors.append(actor)
    return actors


def _role_labels(codes):
    return "、".join(role_rules.rules().role_label(r) for r in sorted(codes))


def transition(obj, to, *, by, note="", machine=None, changes=None, audit_extra=None):
    """Move obj to state `to` on behalf of `by`.

    Side effects, all in one transaction: conditional UPDATE of the status (plus `changes`, a dict of other fields set
    with it); one StatusChange row; one AuditEvent. After commit: the move's notify callback. Returns obj refreshed.
    Raises WorkflowError (illegal move, wrong role, scope or guard) or ConcurrentTransitionError (somebody else moved it
    first); in both cases nothing is written.
    """
    machine = machine or type(obj).WORKFLOW
    model = machine.model
    to = str(to)
    changes = dict(changes or {})
    with transaction.atomic():
        # Lock and re-read (a no-op lock on SQLite, where BEGIN IMMEDIATE already serialises writers), so the checks
        # below judge the state as it is now, not as it was when the page was rendered.
        fresh = model._default_manager.select_for_update().get(pk=obj.pk)
        current = str(getattr(fresh, machine.field))
        move = machine.check(fresh, to, by=by, current=current)
        if move.reason_required and not (note or "").strip():
            raise WorkflowError(f"请填写「{move.label or machine.label(to)}」的理由。", code="reason")
        updated = model._default_manager.filter(pk=obj.pk, **{machine.field: current}).update(
            **{machine.field: to}, **changes
        )
        if updated != 1:
            raise ConcurrentTransitionError()
        fresh.refresh_from_db()
        StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(obj.pk),
            machine=machine.name,
            from_state=current,
            to_state=to,
            by=by,
            note=note or "",
        )
        after = {machine.field: to, **{k: _plain(v) for k, v in changes.items()}}
        if audit_extra:
            after.update(audit_extra)
        log_action(
            actor=by,
            action=f"{machine.audit_prefix}.{move.verb or to}",
            obj=fresh,
            before={machine.field: current},
            after=after,
            note=note or "",
        )
        if move.notify is not None:
            transaction.on_commit(lambda: move.notify(fresh, by, move, note))
    for key, value in vars(fresh).items():
        if not key.startswith("_"):
            setattr(obj, key, value)
    return obj


def _plain(value):
    return getattr(value, "pk", value)


def history_for(obj):
    """StatusChange rows of obj, oldest first, with the actor loaded."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("by")
