-- statistics keeps indicators and rounds in the shared catalogue_view projection (view_indicators
-- now carries weights, labels and criteria levels), so report_figures keeps only slots and counts.
DROP TABLE fig_indicators;
DROP TABLE fig_rounds;
