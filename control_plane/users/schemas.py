"""Request and response models of users, logins and API keys."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, Email, OptExt, OptText, Out, Password, Role, TenantRole, Text


class UserCreate(Body):
    email: Email
    name: OptText = ""
    role: Role
    password: Password
    extension: OptExt = ""


class UserUpdate(Body):
    name: OptText | None = None
    role: Role | None = None
    password: Password | None = None
    extension: OptExt | None = None
    status: Literal["active", "disabled"] | None = None
    totp_reset: Literal[True] | None = None  # the user lost its authenticator: enrol again


class UserOut(Out):
    id: str
    email: str
    name: str
    role: Role
    extension: str
    status: Literal["active", "disabled"]
    tenant_id: str | None
    totp_enabled: bool = False
    created_at: str
    updated_at: str


class UserList(Out):
    items: list[UserOut]
    next: str | None


OtpCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


class LoginIn(Body):
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    otp: OtpCode | None = None  # the current code of the user's authenticator, once TOTP is enabled


class LoginOut(Out):
    token: str
    expires_at: str
    user: UserOut


class MeOut(Out):
    sub: str
    role: str
    tenant_id: str | None
    user: UserOut | None


class ApiKeyCreate(Body):
    name: Text
    role: TenantRole = "agent"  # the least privilege unless the admin asks for more
    expires_in_days: int = Field(default=90, ge=1, le=365)


class ApiKeyOut(Out):
    id: str
    name: str
    role: TenantRole
    prefix: str
    created_at: str
    expires_at: str
    last_used_at: str | None = None


class ApiKeyCreated(ApiKeyOut):
    key: str


class ApiKeyList(Out):
    items: list[ApiKeyOut]
    next: str | None


# --- the second factor (TOTP) ------------------------------------------------------------------
class TotpStartOut(Out):
    """A new TOTP secret for the caller (shown once): add it to an authenticator app
    (``otpauth_uri`` as a QR code), then confirm with a code."""

    secret: str
    otpauth_uri: str


class TotpCodeIn(Body):
    code: OtpCode


# --- issued tokens (revocable) -----------------------------------------------------------------
class IssuedTokenOut(Out):
    id: str
    role: str
    tenant_id: str | None
    sub: str
    issued_by: str
    issued_at: str
    expires_at: str


class IssuedTokenList(Out):
    items: list[IssuedTokenOut]
    next: str | None


class RevokedOut(Out):
    revoked: int
