# The check messages (see i18n.rs, PUBLIC_PARTS).
