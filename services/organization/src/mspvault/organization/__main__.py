"""`python -m mspvault.organization [serve|migrate]`."""

from mspvault.organization.bootstrap import build_parts
from mspvault.shared.runtime import main

if __name__ == "__main__":
    main(build_parts)
