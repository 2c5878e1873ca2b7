-- The message row is the request as accepted, written once by ingress; its status belongs to the
-- status writer (analytics, V4_1, which moves the status columns to message_status and drops them
-- here). Ingress no longer writes a status, so it may be absent until then.
alter table messages alter column status drop not null;
