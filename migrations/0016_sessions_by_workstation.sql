-- Hearth schema v16: which paired computer a staff session was opened from.
-- Withdrawing the computer ends its sessions too, so a tablet paired again
-- with a new code starts signed out. NULL: this computer's own window, or a
-- practice not shared.
ALTER TABLE sessions ADD COLUMN workstation_id INTEGER REFERENCES workstations(id);
CREATE INDEX sessions_by_workstation ON sessions(workstation_id) WHERE ended_at_ms IS NULL;
