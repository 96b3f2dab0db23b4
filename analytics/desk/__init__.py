"""What every part of the data desk (pages/datos.py) shares: who may write (sign-in and the editors
list), and text helpers that show user text as written, never as HTML or links.

Reading is open; writing needs [auth] (OpenID Connect, st.login) and an e-mail on the
[data_desk] editors list in .streamlit/secrets.toml.
"""

import re

import streamlit as st

from analytics import ui
from analytics.db import warehouse_path
from analytics.i18n import pick
from etl.load import staged_upload
from etl.sheets import FileUnusable
from etl.warehouse import is_published


def say(es: str, en: str) -> str:
    """The text in the language of this run."""
    return ui.context().text(es, en)


def plain(text) -> str:
    """Text that Markdown shows as written: every ASCII punctuation mark backslash-escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(text))


def editors_only(editor: str | None, section, hint: tuple[str, str]) -> None:
    """section(editor) for a signed-in editor; otherwise the hint (es, en) on how to get there."""
    if editor:
        section(editor)
    else:
        st.caption(say(*hint))


def round_of(step: str) -> int:
    """How many writes this step has confirmed in the session: part of its widgets' keys, so that
    a confirmed write leaves an empty uploader or form."""
    return st.session_state.get(f"{step}_round", 0)


def finish(step: str, message: str, pending: str | None = None) -> None:
    """After a confirmed write: keep its message for the next run, start the step's next round,
    drop its pending preview and rerun."""
    st.session_state[f"{step}_done"] = message
    st.session_state[f"{step}_round"] = round_of(step) + 1
    if pending:
        st.session_state.pop(pending, None)
    st.rerun()


def confirmed_load(name: str, data: bytes, run):
    """run(path) on the confirmed upload staged beside the warehouse (its outcome), or None after
    showing why the file cannot be used."""
    try:
        with (
            st.spinner(say("Cargando…", "Loading…")),
            staged_upload(name, data, warehouse_path()) as path,
        ):
            return run(path)
    except FileUnusable as exc:
        st.error(plain(exc.es if ui.context().lang == "es" else exc.en), icon=":material/error:")
        return None


def show_done(step: str) -> None:
    """The message of the write the previous run confirmed, once."""
    done = st.session_state.pop(f"{step}_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")


def literal(text) -> str:
    """Text as a Markdown code span: shown exactly as written, never as a link (e-mails, names)."""
    return "`" + str(text).replace("`", "'") + "`"


# What each review flag (announcements.review_flags) means, for the reader.
FLAG_LABELS = {
    "possible_duplicate": ("posible duplicado", "possible duplicate"),
    "implausible_amount": ("monto fuera de rango (menos de 0.1 o más de 20,000 MDD)",
                           "amount out of range (under 0.1 or over 20,000 USD M)"),
    "fx_date_assumed": ("sin fecha: tipo de cambio de hoy", "undated: today's exchange rate"),
    "uncertain_match": ("valor leído por parecido", "value read by resemblance"),
    "company_unnamed": ("empresa por nombrar: corríjala cuando su nombre sea público",
                        "company not yet named: correct it once its name is public"),
}  # fmt: skip


def flags_text(flags, lang: str) -> str:
    """Review flags ('a;b') in the reader's words; '' for none."""
    return "; ".join(
        pick(FLAG_LABELS.get(f, (f, f)), lang) for f in str(flags or "").split(";") if f
    )


def choose(where, label: str, options, **kwargs):
    """A selectbox (in the container where) whose empty prompt speaks the page's language
    (Streamlit's own is English): "Elija una opción", or "Elija o escriba" when new values are
    accepted."""
    if "placeholder" not in kwargs:
        kwargs["placeholder"] = (
            say("Elija o escriba uno nuevo", "Choose or type a new one")
            if kwargs.get("accept_new_options")
            else say("Elija una opción", "Choose an option")
        )
    return where.selectbox(label, options, **kwargs)


# ---------------------------------------------------------------- who may write


def _secrets() -> dict:
    """The [auth] and [data_desk] sections of .streamlit/secrets.toml ({} when there is none)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return {key: st.secrets.get(key) for key in ("auth", "data_desk")}
    except FileNotFoundError:  # StreamlitSecretNotFoundError
        return {}


def _editors(secrets: dict) -> set[str]:
    desk = secrets.get("data_desk") or {}
    editors = desk.get("editors", []) if hasattr(desk, "get") else []
    if isinstance(editors, str):
        editors = [editors]
    return {str(e).strip().lower() for e in editors if str(e).strip()}


def access() -> str | None:
    """Draw the access box; return the e-mail of a signed-in editor, or None (read-only)."""
    if is_published(warehouse_path()):  # a replica: only the writer's dashboard changes data
        st.info(
            say(
                "**Solo lectura.** Este servidor muestra una copia publicada del almacén "
                "(`python -m etl publish`). Los cambios y los datos privados del padrón están en el "
                "tablero del equipo de datos, que publica la copia siguiente.",
                "**Read-only.** This server shows a published copy of the warehouse "
                "(`python -m etl publish`). Changes, and the roster's private fields, are on the "
                "data team's dashboard, which publishes the next copy.",
            ),
            icon=":material/lock:",
        )
        return None
    secrets = _secrets()
    if not secrets.get("auth"):
        st.info(
            say(
                "**Solo lectura.** La carga de archivos está desactivada porque este tablero no "
                "tiene configurado el inicio de sesión. Para activarla, copie "
                "`.streamlit/secrets.example.toml` a `.streamlit/secrets.toml`, llene la sección "
                "`[auth]` con su proveedor OpenID Connect y anote los correos autorizados en "
                "`[data_desk] editors`; luego reinicie el tablero (ver README, «Data desk and "
                "access»). El historial y las descargas funcionan sin sesión, y el equipo de datos "
                "puede cargar archivos con `python -m etl append ARCHIVO --by CORREO`.",
                "**Read-only.** Uploads are off because sign-in is not configured for this "
                "dashboard. To turn them on, copy `.streamlit/secrets.example.toml` to "
                "`.streamlit/secrets.toml`, fill in the `[auth]` section with your OpenID Connect "
                "provider and list the allowed e-mails under `[data_desk] editors`, then restart "
                "the dashboard (see README, 'Data desk and access'). History and downloads work "
                "without signing in, and the data team can load files with "
                "`python -m etl append FILE --by EMAIL`.",
            ),
            icon=":material/lock:",
        )
        return None
    editors = _editors(secrets)
    desk = secrets.get("data_desk") or {}
    provider = desk.get("provider") if hasattr(desk, "get") else None
    if not st.user.get("is_logged_in"):
        st.info(
            say(
                "Para cargar archivos, inicie sesión con una cuenta autorizada.",
                "To upload files, sign in with an authorised account.",
            ),
            icon=":material/lock:",
        )
        st.button(
            say("Iniciar sesión", "Sign in"),
            on_click=st.login,
            args=[provider] if provider else [],
            icon=":material/login:",
            key="desk_login",
        )
        return None
    email = str(st.user.get("email") or "").strip().lower()
    verified = st.user.get("email_verified", True) is not False
    allowed = bool(email) and verified and email in editors
    left, right = st.columns([4, 1])
    with left:
        if allowed:
            st.success(say(f"Sesión: {literal(email)}", f"Signed in: {literal(email)}"))
        else:
            st.warning(
                say(
                    f"La cuenta {literal(email or '(sin correo)')} no está autorizada para cargar "
                    "archivos. Pida que la agreguen a `[data_desk] editors`.",
                    f"The account {literal(email or '(no e-mail)')} may not upload files. Ask for "
                    "it to be added to `[data_desk] editors`.",
                ),
                icon=":material/block:",
            )
    with right:
        st.button(
            say("Cerrar sesión", "Sign out"),
            on_click=st.logout,
            icon=":material/logout:",
            key="desk_logout",
        )
    return email if allowed else None
