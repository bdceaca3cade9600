"""Pure rules of the provider domain: providers, their users (the roster), client links, invite tokens."""
