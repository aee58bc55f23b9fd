-- Toile is not a case file: no free text about a person's health or situation. The
-- `support_needs` column of participants goes, with what it held (the pages never showed it;
-- the API now ignores the field).

ALTER TABLE participants DROP COLUMN support_needs;
