"""Everything the command line says to Postgres, Kafka and the services' APIs: SQL lives here only."""
