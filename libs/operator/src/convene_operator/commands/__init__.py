"""One module per command group of `convene-admin`; `convene_operator.cli` mounts them."""
