-- A session's version, raised by every change of what its form and the API's PATCH edit (and by
-- its cancellation; enrolments leave it alone): an edit form carries the version it showed, the
-- API's ETag is it. Sessions written before start at the first version. `updated_by` names who
-- made the last change (NULL for the operator at the command line, and before this release).
ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN updated_by BIGINT REFERENCES users(id);
