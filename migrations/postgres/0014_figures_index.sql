-- The figures read, for every session of a period, its enrolments' status and attendance, and
-- for the attendances the participant's structure and who they are: all in one index, so a
-- year of a large group is counted without reading the enrolments' rows.
CREATE INDEX enrolments_figures ON enrolments(session_id, status, attendance, structure_id, participant_id, answer);
