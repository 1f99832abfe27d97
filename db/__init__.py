"""The SQLite store: schema, migrations, writes and queries."""
