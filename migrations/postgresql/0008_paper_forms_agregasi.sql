-- PostgreSQL form of 0008 (no WITHOUT ROWID; the unsur answers cast to text for coalesce).
-- Paper forms counted once (skm.md "Paper forms and re-imports") and each indicator's
-- agregasi (skp.md "Adding up realisasi").
--
-- paper_forms: how many copies of each paper form were imported per service point. A form
-- is its number ('no|' || no_kuesioner) when the file has one, else its content: the local
-- date, the nine answers ('-' blank), the profile and the saran, joined by '|'
-- (bot.admin.imports.parse.form_key). An import adds k − copies of a form the file holds k
-- times and raises copies to k, in the same unit of work as the responses. The table holds
-- no response id and no time finer than the day: it cannot be joined to a response.
CREATE TABLE paper_forms (
    point_id INTEGER NOT NULL REFERENCES service_points(id) ON DELETE CASCADE,
    form_key TEXT NOT NULL,
    copies   INTEGER NOT NULL CHECK (copies > 0),
    PRIMARY KEY (point_id, form_key)
);

-- Paper responses imported before this table existed count as imported forms (by content;
-- a paper response is stored at noon local time, so its UTC date is its local date).
INSERT INTO paper_forms (point_id, form_key, copies)
SELECT point_id,
       substr(submitted_at, 1, 10)
       || '|' || coalesce(u_persyaratan::text, '-') || coalesce(u_prosedur::text, '-')
       || coalesce(u_waktu::text, '-') || coalesce(u_biaya::text, '-') || coalesce(u_produk::text, '-')
       || coalesce(u_kompetensi::text, '-') || coalesce(u_perilaku::text, '-')
       || coalesce(u_pengaduan::text, '-') || coalesce(u_sarana::text, '-')
       || '|' || coalesce(jenis_kelamin, '') || '|' || coalesce(usia, '')
       || '|' || coalesce(pendidikan, '') || '|' || coalesce(pekerjaan, '')
       || '|' || coalesce(saran, ''),
       COUNT(*)
FROM survey_responses WHERE channel = 'paper' GROUP BY 1, 2;

-- The agregasi set in the targets file (jumlah | rata-rata | terakhir); NULL: none was set,
-- inferred from satuan and arah (kinerja.skp.indicator_agregasi) when read.
ALTER TABLE indicators ADD COLUMN agregasi TEXT
    CHECK (agregasi IS NULL OR agregasi IN ('jumlah', 'rata-rata', 'terakhir'));
