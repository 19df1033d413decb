"""PostgreSQL: the function that chains a transaction's audit records in one call
(``audit.chaining``). SQLite chains them in Python and needs nothing here."""

from django.db import migrations

CHAIN_FUNCTION = r"""
CREATE OR REPLACE FUNCTION ramunet_audit_chain(records json, trial_data boolean)
RETURNS TABLE (id bigint, seq bigint, prev_hash varchar, hash varchar)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
-- Lock the chain head, give each record (a JSON array of objects with the record's columns
-- and its payload's head and tail, in order) the next sequence number, its payload
-- (head || seq || tail) and link hash sha256(previous hash || LF || payload), insert it, and
-- move the head. Refuses (SQLSTATE RN001) when the database lock is set and
-- trial_data is true. The payload is ASCII (canonical JSON), so its UTF-8 is its text.
DECLARE
    head_seq bigint;
    head_hash varchar;
    head_locked boolean;
    payload text;
    digest varchar;
    new_id bigint;
    item json;
BEGIN
    SELECT c.seq, c.hash, c.locked INTO head_seq, head_hash, head_locked
        FROM audit_chainhead c WHERE c.id = 1 FOR UPDATE;
    IF NOT FOUND THEN  -- a database emptied without its head row: start the chain again
        INSERT INTO audit_chainhead (id, seq, hash, locked)
            VALUES (1, 0, repeat('0', 64), false) ON CONFLICT (id) DO NOTHING;
        SELECT c.seq, c.hash, c.locked INTO head_seq, head_hash, head_locked
            FROM audit_chainhead c WHERE c.id = 1 FOR UPDATE;
    END IF;
    IF head_locked AND trial_data THEN
        RAISE EXCEPTION 'the database is locked; no trial data can change'
            USING ERRCODE = 'RN001';
    END IF;
    FOR item IN SELECT value FROM json_array_elements(records) LOOP
        head_seq := head_seq + 1;
        payload := (item->>'head') || head_seq::text || (item->>'tail');
        digest := encode(sha256(convert_to(head_hash || E'\n' || payload, 'UTF8')), 'hex');
        INSERT INTO audit_auditrecord
            (seq, at, actor, action, model, object_pk, patient, centre, reason, payload,
             prev_hash, hash)
            VALUES (head_seq, (item->>'at')::timestamptz, item->>'actor', item->>'action',
                    item->>'model', item->>'object_pk', item->>'patient', item->>'centre',
                    item->>'reason', payload, head_hash, digest)
            RETURNING audit_auditrecord.id INTO new_id;
        id := new_id;
        seq := head_seq;
        prev_hash := head_hash;
        hash := digest;
        RETURN NEXT;
        head_hash := digest;
    END LOOP;
    UPDATE audit_chainhead SET seq = head_seq, hash = head_hash WHERE audit_chainhead.id = 1;
END
$$;
"""

DROP_FUNCTION = "DROP FUNCTION IF EXISTS ramunet_audit_chain(json, boolean)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chainhead_locked")]

    operations = [migrations.RunPython(create_function, drop_function)]
