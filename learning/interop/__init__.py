"""Learning records that travel: xAPI statements about what learners do, written to an outbox in the same
transaction as the record and sent to a Learning Record Store by a background task (README "Learning
records (xAPI)"). Above records in the layers: it reads records and listens to records.events; records
never import it."""
