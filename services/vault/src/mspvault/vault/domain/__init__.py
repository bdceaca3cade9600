"""The vault's pure rules: who may see and change an item, what a valid item looks like. No I/O."""
