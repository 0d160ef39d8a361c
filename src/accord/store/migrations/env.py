"""Alembic's environment for the store's schema, run by :func:`accord.store.migrate.upgrade_to_head`.

Not imported as a module: Alembic runs it with the connection the store opened
(``config.attributes["connection"]``), inside that connection's transaction.
"""

from __future__ import annotations

from alembic import context

from accord.store.schema import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table=VERSION_TABLE, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
