-- btree_gin lets a GIN index hold the tenant (company_id, a uuid) beside the trigrams of the search text,
-- so one index scan answers "this company's invoices matching %q%" (see the invoices search index).
CREATE EXTENSION IF NOT EXISTS btree_gin;
