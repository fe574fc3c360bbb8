-- Fiscal years (ปีงบประมาณ), in Buddhist Era. Year B.E. y runs 1 Oct (y-544) C.E. to 30 Sep (y-543) C.E.
CREATE TABLE fiscal_years (
    year_be     int PRIMARY KEY CHECK (year_be BETWEEN 2500 AND 2700),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    CHECK (starts_on < ends_on)
);
INSERT INTO fiscal_years (year_be, starts_on, ends_on) VALUES
    (2566, '2022-10-01', '2023-09-30'),
    (2567, '2023-10-01', '2024-09-30'),
    (2568, '2024-10-01', '2025-09-30');
