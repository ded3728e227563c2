"""Prints the figures the house rules are about: SQL statements per layer of each service, and the
longest chain of imports inside one layer. Run: `.venv/bin/python -m tests.architecture`."""

from tests.architecture.code import LAYERS, SERVICES, longest_chain, sql_per_layer


def main() -> None:
    print("SQL statements per layer")
    for (service, layer), count in sorted(sql_per_layer().items()):
        print(f"  {service:14} {layer:14} {count}")
    print("longest same-layer import chain (modules)")
    for service in SERVICES:
        for layer in LAYERS:
            chain = longest_chain(service, layer)
            print(f"  {service:14} {layer:14} {len(chain)}  {' -> '.join(m.rsplit('.', 1)[-1] for m in chain)}")


if __name__ == "__main__":
    main()
