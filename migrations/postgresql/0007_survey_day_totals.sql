-- PostgreSQL form of ../0007_survey_day_totals.sql (same number, same table; see
-- docs/architecture.md, Storage). The three SQLite triggers are one PL/pgSQL function
-- run by three row triggers: an update takes the old row out of its day and puts the new
-- one in, an insert or delete does one half. Same totals, same transaction.
--
-- Running totals of the SKM answers per service point and UTC day, kept exact by triggers
-- in the same transaction as the responses (whoever writes them). A unit's IKM for a
-- period then sums a row per point and day plus the responses of the period's partial
-- first and last day (bot.storage.surveys.unit_answer_sums).
CREATE TABLE survey_day_totals (
    point_id INTEGER NOT NULL REFERENCES service_points(id) ON DELETE CASCADE,
    day      TEXT NOT NULL,     -- UTC date of submitted_at: its first ten characters
    n        INTEGER NOT NULL,  -- responses; then per unsur the sum and the count of answers
    s_persyaratan INTEGER NOT NULL, c_persyaratan INTEGER NOT NULL,
    s_prosedur    INTEGER NOT NULL, c_prosedur    INTEGER NOT NULL,
    s_waktu       INTEGER NOT NULL, c_waktu       INTEGER NOT NULL,
    s_biaya       INTEGER NOT NULL, c_biaya       INTEGER NOT NULL,
    s_produk      INTEGER NOT NULL, c_produk      INTEGER NOT NULL,
    s_kompetensi  INTEGER NOT NULL, c_kompetensi  INTEGER NOT NULL,
    s_perilaku    INTEGER NOT NULL, c_perilaku    INTEGER NOT NULL,
    s_pengaduan   INTEGER NOT NULL, c_pengaduan   INTEGER NOT NULL,
    s_sarana      INTEGER NOT NULL, c_sarana      INTEGER NOT NULL,
    PRIMARY KEY (point_id, day)
);

INSERT INTO survey_day_totals
SELECT point_id, substr(submitted_at, 1, 10), COUNT(*),
       coalesce(SUM(u_persyaratan), 0), COUNT(u_persyaratan),
       coalesce(SUM(u_prosedur), 0), COUNT(u_prosedur),
       coalesce(SUM(u_waktu), 0), COUNT(u_waktu),
       coalesce(SUM(u_biaya), 0), COUNT(u_biaya),
       coalesce(SUM(u_produk), 0), COUNT(u_produk),
       coalesce(SUM(u_kompetensi), 0), COUNT(u_kompetensi),
       coalesce(SUM(u_perilaku), 0), COUNT(u_perilaku),
       coalesce(SUM(u_pengaduan), 0), COUNT(u_pengaduan),
       coalesce(SUM(u_sarana), 0), COUNT(u_sarana)
FROM survey_responses GROUP BY point_id, substr(submitted_at, 1, 10);

CREATE FUNCTION survey_day_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE survey_day_totals SET n = n - 1,
        s_persyaratan = s_persyaratan - coalesce(OLD.u_persyaratan, 0), c_persyaratan = c_persyaratan - (OLD.u_persyaratan IS NOT NULL)::int,
        s_prosedur = s_prosedur - coalesce(OLD.u_prosedur, 0), c_prosedur = c_prosedur - (OLD.u_prosedur IS NOT NULL)::int,
        s_waktu = s_waktu - coalesce(OLD.u_waktu, 0), c_waktu = c_waktu - (OLD.u_waktu IS NOT NULL)::int,
        s_biaya = s_biaya - coalesce(OLD.u_biaya, 0), c_biaya = c_biaya - (OLD.u_biaya IS NOT NULL)::int,
        s_produk = s_produk - coalesce(OLD.u_produk, 0), c_produk = c_produk - (OLD.u_produk IS NOT NULL)::int,
        s_kompetensi = s_kompetensi - coalesce(OLD.u_kompetensi, 0), c_kompetensi = c_kompetensi - (OLD.u_kompetensi IS NOT NULL)::int,
        s_perilaku = s_perilaku - coalesce(OLD.u_perilaku, 0), c_perilaku = c_perilaku - (OLD.u_perilaku IS NOT NULL)::int,
        s_pengaduan = s_pengaduan - coalesce(OLD.u_pengaduan, 0), c_pengaduan = c_pengaduan - (OLD.u_pengaduan IS NOT NULL)::int,
        s_sarana = s_sarana - coalesce(OLD.u_sarana, 0), c_sarana = c_sarana - (OLD.u_sarana IS NOT NULL)::int
        WHERE point_id = OLD.point_id AND day = substr(OLD.submitted_at, 1, 10);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO survey_day_totals AS t VALUES (
            NEW.point_id, substr(NEW.submitted_at, 1, 10), 1,
            coalesce(NEW.u_persyaratan, 0), (NEW.u_persyaratan IS NOT NULL)::int,
            coalesce(NEW.u_prosedur, 0), (NEW.u_prosedur IS NOT NULL)::int,
            coalesce(NEW.u_waktu, 0), (NEW.u_waktu IS NOT NULL)::int,
            coalesce(NEW.u_biaya, 0), (NEW.u_biaya IS NOT NULL)::int,
            coalesce(NEW.u_produk, 0), (NEW.u_produk IS NOT NULL)::int,
            coalesce(NEW.u_kompetensi, 0), (NEW.u_kompetensi IS NOT NULL)::int,
            coalesce(NEW.u_perilaku, 0), (NEW.u_perilaku IS NOT NULL)::int,
            coalesce(NEW.u_pengaduan, 0), (NEW.u_pengaduan IS NOT NULL)::int,
            coalesce(NEW.u_sarana, 0), (NEW.u_sarana IS NOT NULL)::int
        ) ON CONFLICT (point_id, day) DO UPDATE SET n = t.n + 1,
            s_persyaratan = t.s_persyaratan + excluded.s_persyaratan, c_persyaratan = t.c_persyaratan + excluded.c_persyaratan,
            s_prosedur = t.s_prosedur + excluded.s_prosedur, c_prosedur = t.c_prosedur + excluded.c_prosedur,
            s_waktu = t.s_waktu + excluded.s_waktu, c_waktu = t.c_waktu + excluded.c_waktu,
            s_biaya = t.s_biaya + excluded.s_biaya, c_biaya = t.c_biaya + excluded.c_biaya,
            s_produk = t.s_produk + excluded.s_produk, c_produk = t.c_produk + excluded.c_produk,
            s_kompetensi = t.s_kompetensi + excluded.s_kompetensi, c_kompetensi = t.c_kompetensi + excluded.c_kompetensi,
            s_perilaku = t.s_perilaku + excluded.s_perilaku, c_perilaku = t.c_perilaku + excluded.c_perilaku,
            s_pengaduan = t.s_pengaduan + excluded.s_pengaduan, c_pengaduan = t.c_pengaduan + excluded.c_pengaduan,
            s_sarana = t.s_sarana + excluded.s_sarana, c_sarana = t.c_sarana + excluded.c_sarana;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER survey_day_totals_insert AFTER INSERT ON survey_responses
    FOR EACH ROW EXECUTE FUNCTION survey_day_totals_apply();
CREATE TRIGGER survey_day_totals_delete AFTER DELETE ON survey_responses
    FOR EACH ROW EXECUTE FUNCTION survey_day_totals_apply();
CREATE TRIGGER survey_day_totals_update
    AFTER UPDATE OF point_id, submitted_at, u_persyaratan, u_prosedur, u_waktu, u_biaya, u_produk, u_kompetensi, u_perilaku, u_pengaduan, u_sarana ON survey_responses
    FOR EACH ROW EXECUTE FUNCTION survey_day_totals_apply();
