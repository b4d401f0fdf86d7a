"""Reference tables shipped with the code: JSIC and the default code lists."""
