from mspvault.shared.db.alembic_env import run

run()
