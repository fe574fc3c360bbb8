-- Public figure: how many active units of each kind take part.
CREATE TABLE unit_totals (
    kind    text PRIMARY KEY,
    units   int NOT NULL CHECK (units >= 0)
);
