-- One database per service, as deploy/local/postgres.sh creates for the local stack.
-- The postgres image runs this once, as POSTGRES_USER (convene), when its data volume is empty.
CREATE DATABASE membership OWNER convene;
CREATE DATABASE conference OWNER convene;
CREATE DATABASE notifications OWNER convene;
