-- One PostgreSQL server, two databases: Keycloak's and realmwatch's (POSTGRES_DB creates realmwatch).
CREATE DATABASE keycloak;
