"""Bahasa Indonesia: the first language of every text."""

TEXTS: dict[str, str] = {
    # --- engine ------------------------------------------------------------
    "welcome": (
        "Halo! 👋 Saya asisten layanan Pemda: Anda dapat menilai layanan publik yang baru "
        "Anda terima (Survei Kepuasan Masyarakat), dan pegawai dapat melaporkan kinerjanya."
    ),
    "stale_button": "Tombol itu dari pertanyaan sebelumnya dan sudah tidak berlaku.",
    "choose_number": "Mohon pilih salah satu: ketik angka 1–{n} atau tekan tombolnya.",
    "media_not_expected": (
        "Maaf, di sini saya memerlukan jawaban berupa teks atau pilihan, "
        "bukan gambar, berkas, stiker, atau pesan suara."
    ),
    "expired": (
        "Sesi Anda berakhir karena tidak ada aktivitas selama {minutes} menit. "
        "Jawaban yang belum dikirim tidak disimpan."
    ),
    "flow_updated": (
        "Layanan ini baru diperbarui, jadi percakapan yang sedang berjalan dimulai ulang. "
        "Maaf atas ketidaknyamanannya."
    ),
    "cancelled": "Dibatalkan. Tidak ada yang disimpan.",
    "nothing_to_cancel": "Tidak ada percakapan yang sedang berjalan.",
    "unknown_command": "Perintah /{command} tidak dikenal. Ketik /menu atau /bantuan.",
    "language_set": "Bahasa diganti ke Bahasa Indonesia. (Ketik /bahasa en for English.)",
    "restart_prompt": "Anda belum menyelesaikan {flow}. Lanjutkan atau mulai ulang?",
    # the flows' names, as the restart question uses them
    "flow.survey": "survei",
    "flow.menu": "menu",
    "flow.register": "pendaftaran pegawai",
    "flow.intro": "perkenalan",
    "flow.report": "laporan kinerja",
    "flow.review": "tinjauan laporan",
    "flow.rating": "penilaian pegawai",
    "flow.score": "penjelasan skor",
    "flow.selfassess": "penilaian diri",
    "flow.propose": "usulan indikator",
    "flow.proposal_decision": "keputusan usulan",
    "flow.proposal_reply": "tanggapan usulan",
    "restart_continue": "Lanjutkan",
    "restart_restart": "Mulai ulang",
    "error_apology": "Maaf, terjadi kesalahan pada sistem. Silakan coba lagi sebentar lagi.",
    "wa_list_button": "Pilih",
    "score_target_change": (
        "   ↳ Target diubah {old} → {new} oleh {nama}, {date} (alasan: {reason})"
    ),
    "summary_gaps": (
        "🤝 Penilaian diri dan penilaian Anda berbeda dua tingkat "
        "(layak dibicarakan), triwulan {period}:\n{lines}"
    ),
    "summary_gap_line": "• {nama}: {items} butir",
    # Telegram's command menu (setMyCommands)
    "cmd.start": "Mulai / pindai kode layanan",
    "cmd.menu": "Menu utama",
    "cmd.batal": "Batalkan percakapan",
    "cmd.bantuan": "Bantuan",
    "cmd.bahasa": "Ganti bahasa",
    "hint_menu": "Ketik /menu untuk melihat pilihan.",
    "help": (
        "Cara memakai layanan ini:\n"
        "• Pindai kode QR di loket layanan untuk menilai layanan yang baru Anda terima, "
        "atau ketik /menu lalu pilih Isi survei kepuasan.\n"
        "• Jawab dengan menekan tombol atau mengetik nomor pilihan.\n"
        "• /batal membatalkan percakapan, /bahasa mengganti bahasa (Indonesia/English).\n"
        "Survei bersifat anonim: tidak ada nama, nomor, atau akun chat yang disimpan "
        "bersama jawaban Anda."
    ),
    # --- menu --------------------------------------------------------------
    "menu_prompt": "Apa yang ingin Anda lakukan?",
    "menu_survey": "Isi survei kepuasan layanan",
    "menu_help": "Bantuan",
    "menu_language": "Ganti bahasa / Change language",
    "choose_unit": "Pilih unit pelayanan yang Anda kunjungi:",
    "choose_service": "Pilih jenis layanan di {unit}:",
    "choose_point": "Pilih tempat layanan (loket) {service}:",
    "no_units": "Belum ada unit pelayanan yang terdaftar. Silakan hubungi admin.",
    # --- survey ------------------------------------------------------------
    "unknown_code": (
        "Maaf, kode layanan tidak dikenal. Pindai ulang kode QR di loket, "
        "atau ketik /menu untuk memilih layanan."
    ),
    "survey_intro": (
        "📋 Survei Kepuasan Masyarakat\n"
        "Unit: {unit}\nLayanan: {service}\nTempat: {point}\n\n"
        "🔒 Anonim: yang disimpan hanya jawaban Anda, tanggal dan sesinya (pagi, siang, "
        "atau di luar jam), dan layanan yang dinilai — tanpa nama, nomor telepon, akun chat, "
        "atau jam pengisian.\n"
        "Ada 9 pertanyaan singkat, lalu data responden (boleh dilewati) dan saran."
    ),
    "already_today": (
        "Terima kasih, Anda sudah mengisi survei untuk layanan ini hari ini. "
        "Anda dapat memberi penilaian lagi besok."
    ),
    "q.persyaratan": (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
        "dengan jenis pelayanannya?"
    ),
    "q.prosedur": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "q.waktu": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "q.biaya": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "q.produk": (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
        "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
    ),
    "q.kompetensi": (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
    ),
    "q.perilaku": (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan "
        "terkait kesopanan dan keramahan?"
    ),
    "q.pengaduan": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    "q.sarana": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "question_counter": "Pertanyaan {i} dari 9",
    "p.jenis_kelamin": "Data responden (boleh dilewati). Jenis kelamin Anda?",
    "p.usia": "Usia Anda?",
    "p.pendidikan": "Pendidikan terakhir Anda?",
    "p.pekerjaan": "Pekerjaan utama Anda?",
    "skip": "Lewati (tidak ingin menjawab)",
    "skip_short": "Lewati",
    "saran_prompt": (
        "Ada saran atau masukan untuk layanan ini? Tulis di sini (maksimal {max} karakter), "
        "atau pilih Lewati."
    ),
    "review": "Ringkasan jawaban Anda:\n\n{lines}\n\nKirim penilaian ini?",
    "review_send": "Kirim",
    "review_edit": "Ubah satu jawaban",
    "review_cancel": "Batal",
    "edit_pick": "Jawaban mana yang ingin diubah?",
    "field.saran": "Saran",
    "field.jenis_kelamin": "Jenis kelamin",
    "field.usia": "Usia",
    "field.pendidikan": "Pendidikan",
    "field.pekerjaan": "Pekerjaan",
    "not_answered": "tidak dijawab",
    "survey_at_stake": "{point}, {answered} dari {total} pertanyaan terjawab",
    "survey_cancelled": "Survei dibatalkan. Jawaban Anda tidak disimpan.",
    "thanks": (
        "Terima kasih! 🙏 Penilaian Anda sudah kami terima dan akan dipakai untuk "
        "memperbaiki layanan {unit}."
    ),
    "thanks_ikm": (
        "Indeks Kepuasan Masyarakat {unit} periode {period} sejauh ini: {ikm} "
        "(mutu {mutu}, {kinerja}) dari {n} responden."
    ),
}

#: Indonesian shows the official labels from ``kinerja.models`` as they are.
LABELS: dict[str, str] = {}

# --- pegawai: pendaftaran, laporan kinerja, tinjauan atasan, penilaian perilaku ---
TEXTS.update({
    "menu_employee": "Saya pegawai",
    "staff_commands": (
        "Perintah pegawai: /lapor melaporkan kemajuan kinerja, /status melihat capaian "
        "tahun ini, /riwayat melihat laporan Anda dan keputusan atasan, /usul mengusulkan "
        "indikator atau target, /keluar memutus akun chat ini."
    ),
    "register_prompt": (
        "Ketik kode aktivasi 8 karakter yang Anda terima dari admin kepegawaian "
        "(mis. ABCD2345)."
    ),
    "register_wrong": (
        "Kode tidak dikenal, sudah dipakai, atau sudah kedaluwarsa. "
        "Sisa percobaan: {left}. Periksa lagi kodenya."
    ),
    "register_blocked": (
        "Terlalu banyak kode salah dari chat ini, jadi /daftar dikunci sementara (kode baru "
        "pun tidak membukanya). Coba lagi 1 jam setelah percobaan salah terakhir, atau minta "
        "admin kepegawaian membuka kuncinya dengan perintah: kinerja unblock {chat}"
    ),
    "register_ok": "Berhasil! Chat ini sekarang terhubung dengan akun {nama} ({jabatan}).",
    "register_already": "Chat ini sudah terhubung dengan akun {nama}.",
    "unlink_ok": "Chat ini tidak lagi terhubung dengan akun pegawai.",
    "unlink_none": "Chat ini memang tidak terhubung dengan akun pegawai.",
    "not_linked": (
        "Fitur ini khusus pegawai yang sudah terdaftar. Minta kode aktivasi kepada admin "
        "kepegawaian, lalu ketik /daftar KODE (atau pilih Saya pegawai di /menu)."
    ),
    "no_indicators": "Belum ada indikator kinerja (SKP) Anda untuk tahun {tahun}. Hubungi admin.",
    "report_pick": "Laporan kemajuan kinerja {tahun}. Pilih indikator:",
    "report_amount": (
        "{indikator}\nBerapa realisasi yang dilaporkan, dalam {satuan}? (target setahun: "
        "{target}; boleh desimal, mis. 2,5)"
    ),
    "amount_invalid": "Mohon ketik angka saja (dalam {satuan}), mis. 3 atau 2,5.",
    "amount_negative": "Jumlah tidak boleh negatif.",
    "report_amount_big": (
        "{amount} {satuan} lebih dari 10 kali target setahun ({target}). Apakah benar?"
    ),
    "yes": "Ya, benar",
    "no_retype": "Tidak, ketik ulang",
    "report_description": "Jelaskan singkat kegiatan yang dilakukan (maksimal {max} karakter).",
    "description_empty": "Uraian tidak boleh kosong.",
    "description_too_long": "Teks Anda {n} karakter, melebihi batas {max}. Mohon dipersingkat.",
    "report_evidence": (
        "Kirim bukti dukung berupa foto atau dokumen, atau pilih Lewati."
    ),
    "evidence_expected": "Mohon kirim foto atau dokumen sebagai bukti, atau pilih Lewati.",
    "evidence_kind": "Bukti harus berupa foto atau dokumen.",
    "evidence_photo": "foto",
    "evidence_document": "dokumen",
    "evidence_none": "tanpa bukti",
    "evidence_pending": "bukti belum terunduh",
    "report_date": "Tanggal kegiatan? Pilih, atau ketik tanggal dd/mm/yyyy.",
    "today": "Hari ini",
    "yesterday": "Kemarin",
    "date_invalid": "Tanggal tidak dikenali. Ketik dd/mm/yyyy, mis. 05/11/2026, atau kemarin.",
    "date_future": "Tanggal kegiatan tidak boleh di masa depan.",
    "date_outside_year": "Tanggal kegiatan harus dalam tahun {tahun}.",
    "report_review": (
        "Ringkasan laporan:\n• Indikator: {indikator}\n• Realisasi: {amount} {satuan}\n"
        "• Uraian: {description}\n• Bukti: {evidence}\n• Tanggal: {date}\n\nKirim laporan ini?"
    ),
    "report_cancelled": "Laporan dibatalkan. Tidak ada yang disimpan.",
    "report_saved": (
        "Laporan tersimpan dan menunggu persetujuan atasan. Ketik /status untuk melihat capaian."
    ),
    "push_new_report": (
        "📥 Laporan baru dari {nama}:\n{indikator}: {amount} {satuan}\n“{description}”\n\n"
        "Tekan tombol di bawah, atau ketik /tinjau untuk melihat semua laporan yang menunggu."
    ),
    "status_header": "Capaian {nama} tahun {tahun} ({elapsed} tahun berjalan):",
    "status_line": (
        "• {indikator}\n  Disetujui {approved}, menunggu {pending}\n"
        "  Target s.d. hari ini {prorated} dari {target} {satuan} — capaian {capaian} "
        "({status})"
    ),
    "status.on_track": "sesuai jalur",
    "status.attention": "perlu perhatian",
    "status.behind": "tertinggal",
    "status.no_data": "belum ada data",
    "review_none": "Tidak ada laporan bawahan yang menunggu tinjauan.",
    "review_item": (
        "Laporan {i} dari {n} — {nama}\n• Indikator: {indikator}\n• Realisasi: {amount} {satuan}"
        "\n• Tanggal: {date}\n• Uraian: {description}\n• Bukti: {evidence}"
    ),
    "review_approve": "Setujui",
    "review_reject": "Tolak",
    "review_comment": "Komentar",
    "review_reason": "Tulis alasan penolakan (maksimal {max} karakter).",
    "review_comment_prompt": "Tulis komentar atau umpan balik (maksimal {max} karakter).",
    "review_text_empty": "Teks tidak boleh kosong.",
    "review_not_allowed": (
        "Maaf, Anda tidak berwenang memutuskan laporan ini, atau laporan ini sudah tidak "
        "menunggu keputusan."
    ),
    "review_saved_approve": "Laporan {nama} disetujui.",
    "review_saved_reject": "Laporan {nama} ditolak.",
    "review_saved_comment": "Komentar untuk {nama} terkirim.",
    "review_done": "Selesai: tidak ada lagi laporan yang menunggu.",
    "decision_approved": (
        "✅ Laporan Anda ({indikator}: {amount} {satuan}, {date}) disetujui oleh {atasan}.{text}"
    ),
    "decision_rejected": (
        "❌ Laporan Anda ({indikator}: {amount} {satuan}, {date}) ditolak oleh {atasan}. "
        "Alasan: {text}"
    ),
    "decision_comment": (
        "💬 Komentar {atasan} atas laporan Anda ({indikator}: {amount} {satuan}, {date}): {text}"
    ),
    "rating_no_subordinates": "Anda tidak memiliki bawahan langsung untuk dinilai.",
    "rating_who": "Penilaian perilaku kerja (BerAKHLAK) triwulan {period}. Pilih pegawai:",
    "rating_value": "{i}/7 {value} — {nama} ({period})",
    "rating_previous": "Penilaian sebelumnya: {rating}",
    "rating_citizens": (
        "Penilaian warga (SKM) atas layanannya triwulan ini: perilaku {perilaku}, "
        "kompetensi {kompetensi} dari 4 (n = {n})."
    ),
    "rating_citizens_none": "Belum ada penilaian warga (SKM) atas layanannya triwulan ini.",
    "rating.di_bawah": "Di bawah ekspektasi",
    "rating.sesuai": "Sesuai ekspektasi",
    "rating.di_atas": "Di atas ekspektasi",
    "rating_saved": "Penilaian perilaku {nama} triwulan {period} tersimpan:\n{lines}",
})

# --- summaries and reminders (/ringkasan, weekly push) ---------------------------------------
TEXTS.update({
    "summary_not_linked": (
        "Ringkasan kinerja hanya untuk pegawai yang sudah terdaftar. Minta kode aktivasi "
        "kepada admin kepegawaian, lalu ketik /daftar KODE."
    ),
    "summary_sheet_team": "Tim",
    "summary_sheet_progress": "Kinerja",
    "summary_unit_heading": "🏢 {unit} ({code})",
    "summary_unit_no_data": "Belum ada respons SKM untuk unit ini pada periode {period}.",
    "summary_push_header": (
        "📊 Ringkasan mingguan {period}. Ketik /ringkasan untuk ringkasan minggu berjalan "
        "beserta berkas XLSX dan grafik."
    ),
    "reminder_text": (
        "⏰ Halo {nama}, Anda belum mengirim laporan kemajuan kinerja minggu ini ({period}). "
        "Ketik /lapor untuk melapor."
    ),
})

# --- /nilai hasil kerja per indicator, closed periods, /admin -------------------
TEXTS.update({
    "rating_not_allowed": (
        "Maaf, Anda tidak berwenang menilai pegawai ini. Tidak ada yang disimpan."
    ),
    "period_closed": (
        "Periode penilaian {period} sudah ditutup: penilaian {nama} tidak dapat diberikan "
        "atau diubah lagi. Tidak ada yang disimpan."
    ),
    "hk_summary": (
        "Hasil kerja {nama} ({period}). Saran dihitung dari capaian; penilaian Anda "
        "menggantikannya:\n{lines}\n\nUbah penilaian hasil kerja per indikator?"
    ),
    "hk_line": (
        "• {indikator}: target {target} {satuan}, realisasi disetujui {approved} {satuan}, "
        "capaian {capaian} — saran: {saran}"
    ),
    "hk_override": " — penilaian Anda: {rating}",
    "hk_edit": "Ubah per indikator",
    "hk_done": "Selesai",
    "hk_kept": "Penilaian hasil kerja tidak diubah.",
    "hk_item": (
        "{i}/{n} {indikator} — {nama} ({period})\n• Target: {target} {satuan}"
        "\n• Realisasi disetujui: {approved} {satuan}\n• Capaian: {capaian}\n• Saran: {saran}"
    ),
    "hk_current": "Penilaian Anda sebelumnya: {rating}",
    "rating_who_results": "Penilaian hasil kerja triwulan {period}. Pilih pegawai:",
    "hk_use_suggestion": "Pakai saran",
    "hk_no_suggestion": "belum ada data",
    "hk_suggested": "{rating} (saran)",
    "hk_saved": "Penilaian hasil kerja {nama} triwulan {period} tersimpan:\n{lines}",
    "hk_saved_line": "• {indikator}: {rating}",
    "hk_none": "Belum ada indikator kinerja {nama} untuk tahun {tahun}.",
    "rating_short.di_bawah": "Di bawah",
    "rating_short.sesuai": "Sesuai",
    "rating_short.di_atas": "Di atas",
    "admin_only": "Maaf, perintah ini hanya untuk chat admin. Tidak ada yang ditampilkan.",
    "admin_counts": (
        "Ringkasan admin:\n• Unit: {units}\n• Titik layanan: {points}\n• Pegawai: {employees}"
        "\n• Laporan menunggu tinjauan: {pending}"
    ),
})

# --- issue #7: /skor, /nilaidiri, /usul, perkenalan, /bantuan per peran --------------
TEXTS.update({
    "score_who": "Skor siapa yang ingin Anda lihat?",
    "score_self_option": "Saya sendiri",
    "score_not_allowed": "Maaf, Anda tidak berwenang melihat skor pegawai ini.",
    "score_header": (
        "📐 Skor {nama} — triwulan {period} (SKP {tahun}). Berikut asal-usul predikatnya, "
        "langkah demi langkah."
    ),
    "score_indicators": "1️⃣ Hasil kerja per indikator:\n{lines}",
    "score_indicator": (
        "• {indikator} ({jenis})\n  Target {target} {satuan}, realisasi disetujui {approved} "
        "{satuan}, capaian {capaian}\n  → {rating} ({source})"
    ),
    "score_by_atasan": "penilaian {atasan}, {date}",
    "score_suggested": "saran sistem dari capaian",
    "score_no_data": "belum ada data, tidak dihitung",
    "score_none": "Belum ada indikator.",
    "score_unrated": "belum dinilai",
    "score_self": "penilaian diri: {rating}",
    "score_far_apart": "⚠️ beda dua tingkat",
    "score_hasil": (
        "2️⃣ Hasil kerja: {atas} di atas, {sesuai} sesuai, {bawah} di bawah ekspektasi dari "
        "{n} indikator yang dinilai.\nAturan: Di atas bila lebih dari separuh di atas dan "
        "tidak ada indikator utama di bawah; Di bawah bila lebih dari separuh di bawah; "
        "selain itu Sesuai.\n→ Hasil kerja: {hasil}"
    ),
    "score_utama_blocked": (
        "Lebih dari separuh di atas, tetapi ada indikator utama di bawah ekspektasi, "
        "sehingga hasil kerja menjadi Sesuai."
    ),
    "score_perilaku": (
        "3️⃣ Perilaku kerja (BerAKHLAK, penilaian /nilai terakhir):\n{lines}\n"
        "Aturan mayoritas yang sama → Perilaku: {perilaku}"
    ),
    "score_predikat": (
        "4️⃣ Matriks predikat: baris hasil kerja {hasil} × kolom perilaku {perilaku} "
        "→ Predikat: {predikat}"
    ),
    "score_predikat_missing": (
        "4️⃣ Predikat belum dapat ditentukan: hasil kerja dan perilaku kerja keduanya harus "
        "sudah ada nilainya."
    ),
    "score_note": "📝 Catatan penilaian diri {nama} (hanya untuk atasan langsung): “{note}”",
    "rating_self": "Penilaian diri pegawai: {rating}",
    "rating_self_given": "{nama} sudah menilai diri sendiri triwulan ini; lihat di tiap butir.",
    "selfassess_intro": (
        "Penilaian diri triwulan {period}: {n} butir (hasil kerja per indikator, lalu tujuh "
        "nilai BerAKHLAK). Pilih Di bawah / Sesuai / Di atas ekspektasi."
    ),
    "selfassess_indicator": (
        "{i}/{n} {indikator}\n• Target: {target} {satuan}\n• Realisasi disetujui: {approved} "
        "{satuan}\n• Capaian: {capaian}"
    ),
    "selfassess_value": "{i}/{n} {value}",
    "selfassess_note": (
        "Catatan singkat untuk atasan langsung (maksimal {max} karakter; hanya atasan langsung "
        "yang dapat membacanya), atau pilih Lewati."
    ),
    "selfassess_saved": (
        "Penilaian diri triwulan {period} tersimpan. Atasan akan melihatnya saat menilai (/nilai)."
    ),
    "selfassess_reminder": (
        "📝 Halo {nama}, triwulan {period} tinggal {days} hari. Anda belum mengisi penilaian "
        "diri: ketik /nilaidiri."
    ),
    "proposal_no_atasan": "Usulan memerlukan atasan langsung, dan Anda belum memilikinya.",
    "proposal_kind": "Apa yang ingin Anda usulkan untuk SKP Anda?",
    "proposal_kind_new": "Indikator baru",
    "proposal_kind_target": "Ubah target",
    "proposal_pick": "Pilih indikator yang targetnya ingin diubah:",
    "proposal_rhk": "Rencana hasil kerja (RHK) untuk indikator ini? (maksimal {max} karakter)",
    "proposal_indikator": "Tulis indikator kinerjanya (maksimal {max} karakter).",
    "proposal_jenis": "Jenis RHK?",
    "proposal_aspek": "Aspek indikator?",
    "proposal_satuan": "Satuan target (mis. dokumen, laporan, hari; maksimal {max} karakter)?",
    "proposal_arah": "Arah indikator?",
    "arah.naik": "naik (makin banyak makin baik)",
    "arah.turun": "turun (makin sedikit makin baik)",
    "proposal_target": "Target setahun, dalam {satuan}? (angka, mis. 12 atau 2,5)",
    "proposal_target_invalid": "Mohon ketik angka saja, mis. 12 atau 2,5.",
    "proposal_reason": "Alasan usulan (maksimal {max} karakter)?",
    "proposal_reason_optional": "Alasan usulan (maksimal {max} karakter), atau pilih Lewati.",
    "proposal_confirm": "Usulan Anda:\n{proposal}\n\nKirim kepada atasan langsung?",
    "proposal_new_text": (
        "Indikator baru — RHK: {rhk}\n• Indikator: {indikator} ({jenis}, {aspek})\n"
        "• Target: {target} {satuan}, arah {arah}\n• Alasan: {reason}"
    ),
    "proposal_target_text": (
        "Ubah target — {indikator}: {old} → {new} {satuan}\n• Alasan: {reason}"
    ),
    "proposal_sent": "Usulan terkirim dan menunggu keputusan atasan langsung.",
    "push_proposal": "📨 Usulan SKP dari {nama}:\n{proposal}",
    "push_proposal_disagreed": (
        "📨 {nama} tidak setuju dengan target {target} yang Anda ajukan. Usulan semula:\n"
        "{proposal}"
    ),
    "proposal_accept": "Terima",
    "proposal_counter": "Ubah target",
    "proposal_decline": "Tolak",
    "proposal_agree": "Setuju",
    "proposal_disagree": "Tidak setuju",
    "proposal_not_allowed": (
        "Maaf, Anda tidak berwenang atas usulan ini, atau usulan ini sudah diputuskan. "
        "Tidak ada yang disimpan."
    ),
    "proposal_counter_prompt": "Ketik target yang Anda usulkan, dalam {satuan}.",
    "proposal_done_accept": "Usulan {nama} diterima dan sudah menjadi bagian SKP.",
    "proposal_done_counter": "Target baru dikirim kepada {nama} untuk disetujui.",
    "proposal_done_decline": "Usulan {nama} ditolak; {nama} sudah diberi tahu.",
    "proposal_accepted_push": "✅ {atasan} menerima usulan Anda:\n{proposal}",
    "proposal_declined_push": "❌ {atasan} menolak usulan Anda:\n{proposal}\nAlasan: {reason}",
    "proposal_countered_push": (
        "✏️ {atasan} mengusulkan target lain untuk usulan Anda:\n{proposal}\n"
        "Target dari atasan: {target} {satuan}. Setuju?"
    ),
    "proposal_agreed": "Disepakati: target {target} {satuan} berlaku.\n{proposal}",
    "proposal_agreed_push": "🤝 {nama} setuju dengan target {target} {satuan}.\n{proposal}",
    "proposal_disagreed": "Jawaban Anda dikirim; atasan akan memutuskan lagi.",
    "intro_next": "Lanjut",
    "intro_skip": "Lewati",
    "intro_skipped": "Perkenalan dilewati. Ketik /bantuan kapan saja.",
    "intro_1": (
        "👋 Perkenalan singkat ({i}/{n}). Yang diukur: SKP Anda — rencana hasil kerja dengan "
        "indikator, target, dan satuannya — serta perilaku kerja (tujuh nilai BerAKHLAK)."
    ),
    "intro_2": (
        "📐 Aturannya ({i}/{n}): capaian = realisasi ÷ target. Sistem memberi saran (≥ 110% di "
        "atas, ≥ 100% sesuai ekspektasi), atasan yang memutuskan. Hasil kerja dan perilaku "
        "digabung menjadi predikat menurut PermenPANRB 6/2022. Ketik /skor untuk melihat "
        "perhitungannya."
    ),
    "intro_3": (
        "👀 Siapa melihat apa ({i}/{n}): laporan dan skor Anda dilihat oleh Anda dan atasan "
        "Anda; catatan penilaian diri hanya oleh atasan langsung. Survei warga tetap anonim."
    ),
    "intro_4": (
        "📝 Cara melapor ({i}/{n}): ketik /lapor, pilih indikator, isi jumlah, uraian, bukti, "
        "dan tanggal. /status menunjukkan capaian, /nilaidiri untuk penilaian diri, /usul "
        "untuk mengusulkan indikator atau target. Ketik /bantuan kapan saja."
    ),
    "help_employee": (
        "Bantuan pegawai:\n• /lapor — laporkan kemajuan kinerja (dengan bukti)\n"
        "• /status — capaian tahun ini\n"
        "• /riwayat — laporan Anda dan keputusan atasan; perbaiki laporan yang ditolak\n"
        "• /skor — bagaimana predikat Anda terbentuk\n"
        "• /nilaidiri — penilaian diri triwulan ini\n"
        "• /usul — usulkan indikator baru atau perubahan target\n"
        "• /ringkasan — ringkasan minggu ini\n• /keluar — putuskan akun dari chat ini\n"
        "• /batal membatalkan, /bahasa mengganti bahasa."
    ),
    "help_atasan": (
        "Bantuan atasan:\n• /tinjau — tinjau laporan bawahan\n"
        "• /nilai — nilai perilaku (BerAKHLAK) dan hasil kerja (/nilai hasil)\n"
        "• /skor — asal-usul skor Anda atau bawahan Anda\n"
        "• /ringkasan — ringkasan tim minggu ini\n"
        "Usulan SKP bawahan datang sebagai pesan dengan tombol Terima / Ubah target / Tolak; "
        "/usul menampilkan yang menunggu.\n"
        "Sebagai pegawai: /lapor, /status, /riwayat, /nilaidiri, /usul, /keluar. "
        "/batal membatalkan, /bahasa mengganti bahasa."
    ),
})

# --- evidence downloaded after the report is stored (/lapor, /tinjau) -----------------------
TEXTS.update({
    "evidence_failed_push": (
        "⚠️ Bukti untuk laporan Anda “{indikator}: {amount} {satuan}” tanggal {date} belum "
        "dapat diunduh setelah {attempts} kali percobaan. Laporannya tetap tersimpan, tanpa "
        "berkas bukti. Jika bukti diperlukan, kirim ulang laporan beserta buktinya lewat /lapor."
    ),
})

# --- pushes: waiting for a person who has not linked a chat (h/console, issue 14) ----------
TEXTS.update({
    "proposal_sent_waiting": (
        "Atasan Anda belum terhubung; usulan tersimpan dan akan dikirim saat beliau mendaftar."
    ),
    "push_files_link": "Berkas: {links}",
})

# --- issue #14 (h/flows): payloads win, language kept, pages and roles, proposals and reports --
TEXTS.update({
    "restart_prompt_new": (
        "Anda belum menyelesaikan {flow}. Lanjutkan, atau mulai {new}? "
        "Jawaban yang belum dikirim akan hilang."
    ),
    "restart_new": "Mulai yang baru",
    "closed": "Baik, ditutup.",
    "language_unknown": "Bahasa “{code}” tidak tersedia. Pilihan: {choices} (mis. /bahasa en).",
    "survey_preview": "survei {point} di {unit}",
    "p.usia_typed": "Usia Anda? Pilih kelompoknya, atau ketik umur Anda dalam tahun (mis. 34).",
    "age_invalid": (
        "Mohon pilih salah satu (ketik angka 1–{n}) atau ketik umur Anda dalam tahun, mis. 34."
    ),
    "age_from_typed": "{group} (Anda mengetik {age} tahun)",
    "saran_too_long_cut": (
        "Saran Anda {n} karakter, melebihi batas {max} karakter. Jika dipotong pada batas "
        "itu, saran Anda menjadi:"
    ),
    "saran_cut_prompt": (
        "Pakai saran yang dipotong di atas, atau ketik ulang (maksimal {max} karakter)?"
    ),
    "saran_use_cut": "Pakai yang dipotong",
    "saran_retype": "Ketik ulang",
    "staff_commands_atasan": (
        "Perintah pegawai: /lapor melaporkan kemajuan kinerja, /status melihat capaian "
        "tahun ini, /riwayat melihat laporan Anda, /usul mengusulkan indikator atau target "
        "(dan memutuskan usulan bawahan), /tinjau meninjau laporan bawahan, /nilai menilai "
        "perilaku bawahan (/nilai hasil: menilai hasil kerja per indikator), /keluar memutus "
        "akun chat ini."
    ),
    "report_at_stake": "{indikator}, belum dikirim",
    "proposal_at_stake": "belum dikirim",
    "rating_at_stake": "{n} penilaian belum disimpan",
    "selfassess_at_stake": "{n} dari {total} butir terjawab",
    "back": "Kembali",
    "proposal_start": "Ada {n} usulan SKP bawahan yang menunggu keputusan Anda.",
    "proposal_start_decide": "Putuskan usulan bawahan ({n})",
    "proposal_start_own": "Buat usulan saya sendiri",
    "proposal_awaiting": "Usulan SKP bawahan yang menunggu keputusan Anda ({n}). Pilih satu:",
    "proposal_awaiting_item": "{nama} — {kind}: {indikator}",
    "proposal_none_awaiting": "Tidak ada usulan bawahan yang menunggu keputusan Anda.",
    "proposal_more_awaiting": "Masih ada {n} usulan bawahan yang menunggu: ketik /usul.",
    "review_proposals_waiting": "Ada juga {n} usulan SKP bawahan yang menunggu: ketik /usul.",
    "report_edit": "Ubah",
    "report_edit_pick": "Bagian mana yang ingin diubah?",
    "report_field.indicator": "Indikator",
    "report_field.amount": "Realisasi",
    "report_field.description": "Uraian",
    "report_field.evidence": "Bukti",
    "report_field.work_date": "Tanggal",
    "evidence_kept": "{evidence} (dari laporan sebelumnya)",
    "revision_intro": (
        "Perbaikan laporan yang ditolak (alasan atasan: “{reason}”). Isinya sudah terisi: "
        "pilih Ubah untuk memperbaiki bagian yang perlu, lalu Kirim. Laporan lama tetap "
        "tersimpan sebagai riwayat."
    ),
    "revision_not_allowed": (
        "Laporan itu tidak dapat diperbaiki: bukan laporan Anda yang ditolak, atau sudah "
        "diperbaiki. Ketik /riwayat untuk melihat laporan Anda."
    ),
    "push_revision": "↩️ Ini perbaikan laporan yang sebelumnya ditolak (alasan: “{reason}”).",
    "flow.history": "riwayat laporan",
    "report_status.pending": "⏳ menunggu atasan",
    "report_status.approved": "✅ disetujui",
    "report_status.rejected": "❌ ditolak",
    "history_corrected": "(sudah diperbaiki)",
    "history_correction": "(perbaikan)",
    "history_header": "Laporan Anda tahun {tahun} ({n} terbaru):",
    "history_line": "• {date} — {indikator}: {amount} {satuan} — {status}",
    "history_decision": "   ↳ {nama}, {date}: {action} “{text}”",
    "history_decision_plain": "   ↳ {nama}, {date}: {action}",
    "history_action.approve": "menyetujui",
    "history_action.reject": "menolak, alasan:",
    "history_action.comment": "berkomentar:",
    "history_none": "Belum ada laporan tahun {tahun}. Ketik /lapor untuk melapor.",
    "history_pick": "Perbaiki laporan yang ditolak lalu kirim ulang?",
    "history_fix": "Perbaiki: {indikator} ({date})",
    "history_done": "Selesai",
    "status_rejected": (
        "❌ {n} laporan ditolak dan belum diperbaiki: ketik /riwayat untuk melihat alasannya "
        "dan memperbaikinya."
    ),
    "proposal_start_decide_short": "Putuskan ({n})",
    "proposal_start_own_short": "Usulan saya",
})

# --- administration: service points taken out of use (kinerja points deactivate) -----------
TEXTS.update({
    "point_inactive": (
        "Maaf, titik layanan “{point}” ({unit}) sudah tidak digunakan lagi, jadi survei "
        "untuk kode QR ini ditutup. Jika Anda baru saja dilayani di sana, ketik /menu untuk "
        "memilih layanannya."
    ),
})

# --- the SKM cycle: RTL (/tindaklanjut), saran (/saran), alerts, followers (/ikuti) -------
TEXTS.update({
    "help_head": (
        "Sebagai kepala unit:\n• /tindaklanjut — rencana tindak lanjut (RTL) hasil SKM\n"
        "• /saran — saran warga: baca dan tandai"
    ),
    "rtl_period_prev": "◀ Periode {period}",
    "rtl_period_next": "Periode {period} ▶",
    "rtl_mine": "📋 RTL yang Anda tanggung jawabi:",
    "rtl_update_push": "📋 {nama} memperbarui RTL {unit}:\n{line}",
    "rtl_update_button": "Perbarui progres",
    "flow.rtl": "rencana tindak lanjut",
    "flow.saran": "saran warga",
    "flow.follow": "ikuti unit",
    "rtl_status_rencana": "rencana",
    "rtl_status_berjalan": "berjalan",
    "rtl_status_selesai": "selesai",
    "rtl_late": " ⚠️ TERLAMBAT",
    "rtl_item_line": (
        "#{id} {unsur}: {action} — PJ {person}, target {date}, {status} {progress}%{late}"
    ),
    "rtl_not_allowed": (
        "Rencana tindak lanjut dan saran warga hanya untuk kepala unit (pegawai yang "
        "atasannya di unit lain atau tidak ada) dan admin."
    ),
    "rtl_choose_unit": "Pilih unit:",
    "rtl_pick": "Mohon pilih salah satu tombol.",
    "rtl_home": "📋 Rencana tindak lanjut (RTL) {unit}, periode {period}:",
    "rtl_none": "Belum ada RTL.",
    "rtl_add": "➕ Tambah RTL",
    "rtl_update_item": "Perbarui #{id}",
    "rtl_unsur_weakest": (
        "Unsur terendah periode {period}: {unsur}. Pilih unsur yang ditindaklanjuti "
        "(diurutkan dari NRR terendah):"
    ),
    "rtl_unsur_no_answers": "Belum ada jawaban survei periode {period}. Pilih unsur:",
    "rtl_saran_prompt": "Saran warga tentang unsur ini (pilih satu untuk ditautkan, atau Lewati):",
    "rtl_saran_option": "Saran {n}",
    "rtl_action_prompt": "Tulis kegiatan/tindakan untuk unsur {unsur} (maks. {max} karakter):",
    "rtl_action_empty": "Kegiatan tidak boleh kosong. Tulis tindakannya:",
    "rtl_person_prompt": "Siapa penanggung jawabnya?",
    "rtl_person_prompt_more": (
        "Siapa penanggung jawabnya? Pilih, atau ketik NIP atau sebagian nama pegawai unit."
    ),
    "rtl_person_unknown": "Pegawai unit itu tidak ditemukan. Ketik NIP atau sebagian nama:",
    "rtl_person_many": "Lebih dari satu pegawai cocok. Ketik NIP atau nama yang lebih lengkap:",
    "rtl_date_prompt": "Tanggal target (dd/mm/yyyy):",
    "rtl_date_invalid": "Tanggal tidak dikenali. Tulis seperti 31/12/2026:",
    "rtl_date_past": "Tanggal target tidak boleh sebelum hari ini. Tulis tanggal lain:",
    "rtl_saved": "✅ RTL tersimpan:\n{line}\nPenanggung jawab diberi tahu.",
    "rtl_assigned": (
        "📌 Anda penanggung jawab rencana tindak lanjut SKM {unit} (periode {period}):\n"
        "{action}\nUnsur: {unsur}. Target: {date}. Anda akan diingatkan seminggu sebelumnya."
    ),
    "rtl_reminder": (
        "⏰ Pengingat: rencana tindak lanjut {unit} yang Anda tanggung jawabi jatuh tempo "
        "{date}:\n{action}\nUnsur: {unsur}. Progres saat ini {progress}% ({status})."
    ),
    "rtl_progress_prompt": "{line}\nProgres sekarang berapa persen (0–100)?",
    "rtl_progress_invalid": "Tulis bilangan bulat 0 sampai 100, misalnya 40.",
    "rtl_status_prompt": "Statusnya?",
    "rtl_note_prompt": "Catatan perkembangan (maks. {max} karakter), atau - jika tidak ada:",
    "rtl_updated": "✅ RTL diperbarui:\n{line}",
    "rtl_summary_late": "⚠️ RTL terlambat ({n}):",
    "saran_home": (
        "💬 Saran warga {unit}, periode {period}: {n} saran ({new} baru).\n"
        "Halaman {page} dari {pages}, terbaru dulu:"
    ),
    "saran_none": "Belum ada saran warga di periode {period}.",
    "saran_line": "{n}. {date} {sesi} · {service} · {point} [{mark}{rtl}]\n“{text}”",
    "saran_next": "Berikutnya ▶",
    "saran_prev": "◀ Sebelumnya",
    "saran_mark_item": "Tandai {n}",
    "saran_mark_prompt": "Saran {n}: “{text}”\nTandai sebagai:",
    "saran_link_prompt": "Tautkan ke RTL mana?",
    "saran_link_none": "Tanpa tautan",
    "saran_marked": "✅ Saran ditandai {mark}.",
    "saran_sesi_pagi": "pagi",
    "saran_sesi_siang": "siang",
    "saran_sesi_luar": "di luar jam",
    "saran_mark_baru": "baru",
    "saran_mark_ditindaklanjuti": "ditindaklanjuti",
    "saran_mark_tidak_relevan": "tidak relevan",
    "saran_mark_dipublikasikan": "dipublikasikan",
    "saran_theme_pujian": "pujian",
    "saran_theme_lainnya": "lainnya",
    "alert_push": (
        "🔔 {unit}, {date} pukul {hour_from}–{hour_to}: {summary}"
        " Lihat /saran dan /tindaklanjut."
    ),
    "alert_bad": "{n} responden memberi nilai 1 (terburuk) pada: {unsur}.",
    "alert_serious": "{n} saran berisi keluhan serius (mis. pungli, petugas kasar).",
    "ikm_drop_line": (
        "📉 IKM {unit} minggu ini {ikm} (mutu {mutu}), turun dari mutu {previous} "
        "minggu sebelumnya."
    ),
    "menu_follow": "📣 Ikuti hasil survei unit",
    "follow_choose_unit": (
        "Pilih unit yang ingin Anda ikuti. Setiap periode Anda menerima IKM, mutu, unsur "
        "terendah dan rencana tindak lanjutnya. Ketik /berhenti untuk berhenti."
    ),
    "follow_done": "✅ Anda mengikuti {unit}. Ketik /berhenti untuk berhenti.",
    "follow_already": "Anda sudah mengikuti {unit}.",
    "follow_stopped": "Anda berhenti mengikuti {n} unit. Terima kasih.",
    "follow_none": "Anda tidak sedang mengikuti unit mana pun.",
    "follow_period": (
        "📢 Hasil survei kepuasan {unit}, periode {period}: IKM {ikm} (mutu {mutu}, {kinerja}) "
        "dari {n} responden. Unsur terendah: {weakest}."
    ),
    "follow_period_few": (
        "📢 Survei kepuasan {unit}, periode {period}: responden belum cukup untuk "
        "menerbitkan IKM."
    ),
    "follow_rtl_heading": "Rencana tindak lanjut:",
    "follow_rtl_line": "• {unsur}: {action} — {status} {progress}%{late}",
    "follow_rtl_none": "Belum ada rencana tindak lanjut yang diterbitkan.",
    "follow_footer": "Ketik /berhenti untuk berhenti menerima pesan ini.",
})

# --- agregasi: how an indicator's reports add up (/status, /skor) ----------------------------
TEXTS.update({
    "agregasi_line": "  Cara hitung realisasi: {agregasi}",
    "agregasi.jumlah": "jumlah semua laporan (target dibagi menurut waktu berjalan)",
    "agregasi.rata-rata": "rata-rata laporan (dibandingkan dengan target utuh)",
    "agregasi.terakhir": "laporan terakhir (dibandingkan dengan target utuh)",
})

# --- web: halaman publik, layar TV, poster, dasbor (issue 16) ------------------------------
TEXTS.update({
    "web_site_title": "Indeks Kepuasan Masyarakat",
    "web_skip": "Langsung ke isi",
    "web_nav": "Navigasi",
    "web_lang_switch": "English",
    "web_period": "Periode",
    "web_show": "Tampilkan",
    "web_units": "Unit pelayanan",
    "web_unit": "Unit",
    "web_ikm": "IKM",
    "web_mutu": "Mutu",
    "web_kinerja": "Kinerja",
    "web_kinerja_A": "Sangat baik",
    "web_kinerja_B": "Baik",
    "web_kinerja_C": "Kurang baik",
    "web_kinerja_D": "Tidak baik",
    "web_respondents": "Responden",
    "web_sample": "Sampel minimal (Krejcie–Morgan)",
    "web_sample_of": "{n} dari {sample}",
    "web_change": "Perubahan",
    "web_change_none": "—",
    "web_not_enough": "Belum cukup responden (minimal {min})",
    "web_no_data": "Belum ada data",
    "web_pooled": "Gabungan dengan {others} unit di bawahnya",
    "web_own": "Unit ini sendiri",
    "web_overall": "Semua unit",
    "web_nrr_title": "Nilai per unsur pelayanan",
    "web_nrr_alt": "Diagram batang nilai per unsur (skala 25–100) untuk {unit}",
    "web_unsur": "Unsur",
    "web_nrr": "NRR",
    "web_value": "Nilai (25–100)",
    "web_trend": "Tren IKM",
    "web_trend_alt": "Diagram IKM {unit} untuk {periods}",
    "web_profiles": "Responden menurut profil",
    "web_na": "Tidak menjawab",
    "web_field_jenis_kelamin": "Jenis kelamin",
    "web_field_usia": "Usia",
    "web_field_pendidikan": "Pendidikan",
    "web_field_pekerjaan": "Pekerjaan",
    "web_rtl": "Rencana tindak lanjut",
    "web_rtl_status_rencana": "rencana",
    "web_rtl_status_berjalan": "berjalan",
    "web_rtl_status_selesai": "selesai",
    "web_saran": "Saran yang dipublikasikan",
    "web_weakest": "Unsur terendah",
    "web_back": "Kembali ke semua unit",
    "web_not_found": "Halaman tidak ditemukan.",
    "web_tv_scan": "Pindai untuk menilai layanan kami",
    "web_tv_how": "Anonim · satu menit · sembilan pertanyaan",
    "web_tv_no_qr": "Penilaian lewat chat belum tersedia di sini.",
    "web_tv_qr_alt": "Kode QR untuk menilai layanan {point}",
    "web_footer": "Dihitung sesuai PermenPANRB 14/2017. Tanpa data pribadi.",
    "web_mutu_legend": "A sangat baik · B baik · C kurang baik · D tidak baik",
    "web_updated": "Diperbarui {time}",
    # login and dashboard
    "web_login_title": "Masuk ke dasbor",
    "web_login_bad": "Tautan masuk tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. "
                     "Minta tautan baru dengan /dasbor di chat.",
    "web_login_slow": "Terlalu banyak percobaan. Coba lagi sebentar lagi.",
    "web_login_button": "Masuk",
    "web_login_confirm": "Tekan tombol untuk masuk ke dasbor.",
    "web_logged_out": "Anda sudah keluar.",
    "web_need_login": "Silakan masuk: ketik /dasbor di chat untuk mendapat tautan.",
    "web_forbidden": "Anda tidak berhak membuka halaman ini.",
    "web_csrf": "Formulir kedaluwarsa. Muat ulang halaman dan coba lagi.",
    "web_dashboard": "Dasbor",
    "web_logout": "Keluar",
    "web_hello": "Masuk sebagai {who}",
    "web_admin": "admin",
    "web_pending": "Laporan menunggu tinjauan",
    "web_pending_none": "Tidak ada laporan bawahan yang menunggu tinjauan.",
    "web_report_of": "{nama} — {indikator}: {amount} {satuan} ({date})",
    "web_evidence": "Bukti dukung",
    "web_evidence_alt": "Foto bukti laporan {nama} tanggal {date}",
    "web_evidence_download": "Unduh dokumen bukti",
    "web_approve": "Setujui",
    "web_reject": "Tolak",
    "web_comment": "Komentar",
    "web_reason": "Alasan atau komentar",
    "web_decided_approve": "Laporan {nama} disetujui.",
    "web_decided_reject": "Laporan {nama} ditolak.",
    "web_decided_comment": "Komentar untuk {nama} terkirim.",
    "web_text_needed": "Tulis alasan atau komentar (paling banyak {max} karakter).",
    "web_team_elapsed": "{elapsed}% tahun ini sudah berjalan; target dihitung sebanding.",
    "web_team_no_targets": "Belum ada target tahun ini.",
    "web_team_alt": "Diagram capaian per indikator {nama} terhadap target sampai hari ini",
    "web_team_indicator": "Indikator",
    "web_team_done": "Realisasi disetujui",
    "web_team_target_to_date": "Target s.d. hari ini / setahun",
    "web_team_capaian": "Capaian",
    "web_team_status": "Status",
    "web_history": "Riwayat",
    "web_team": "Kemajuan tim",
    "web_posters": "Poster titik layanan",
    "web_poster_a4": "Poster A4 (PDF)",
    "web_poster_a5": "Poster A5 (PDF)",
    "web_poster_png": "Poster A4 (PNG)",
    "web_points": "Titik layanan",
    "web_staff": "Pegawai",
    "web_active": "aktif",
    "web_inactive": "nonaktif",
    "web_status": "Status",
    "web_deactivate": "Nonaktifkan",
    "web_activate": "Aktifkan",
    "web_invites": "Kode aktivasi pegawai",
    "web_invites_relink": "Juga pegawai yang sudah terhubung ke chat",
    "web_invites_make": "Buat kode",
    "web_invites_print": "Cetak halaman ini dan gunting per pegawai. Kode hanya tampil di sini.",
    "web_invites_how": "Di chat bot, ketik /daftar {code} (berlaku sampai {until}, sekali pakai).",
    "web_point_add": "Tambah titik layanan",
    "web_staff_add": "Tambah pegawai",
    "web_save": "Simpan",
    "web_field_code": "Kode",
    "web_field_service": "Layanan",
    "web_field_name": "Nama titik (loket)",
    "web_field_officer": "NIP petugas (boleh kosong)",
    "web_field_nama": "Nama",
    "web_field_jabatan": "Jabatan",
    "web_field_atasan": "Atasan",
    "web_field_atasan_nip": "NIP atasan",
    "web_field_no_atasan": "tanpa atasan",
    "web_field_phone": "Telepon",
    "web_import": "Impor data",
    "web_import_kind": "Jenis data",
    "web_kind_units": "Unit pelayanan",
    "web_kind_services": "Jenis layanan",
    "web_kind_points": "Titik layanan",
    "web_kind_employees": "Pegawai",
    "web_kind_targets": "Target SKP",
    "web_kind_skm": "Survei kertas (SKM)",
    "web_import_file": "Berkas (CSV atau XLSX)",
    "web_import_send": "Periksa dan impor",
    "web_import_errors": "Berkas tidak diimpor: perbaiki kesalahan berikut.",
    "web_import_done": "Impor berhasil: {rows} baris.",
    "web_import_file_col": "Berkas",
    "web_import_row": "Baris",
    "web_import_column": "Kolom",
    "web_import_problem": "Masalah",
    # the chat command /dasbor
    "flow.dashboard": "tautan dasbor",
    "dashboard_link": "Tautan masuk dasbor (sekali pakai, berlaku {minutes} menit — jangan "
                      "dibagikan):\n{url}",
    "dashboard_not_linked": "Dasbor hanya untuk pegawai yang terdaftar. Daftar dulu dengan "
                            "/daftar KODE.",
    "dashboard_off": "Dasbor web belum diaktifkan (KINERJA_PUBLIC_URL belum diset).",
    "dashboard_too_many": "Sudah terlalu banyak tautan dalam satu jam terakhir. Coba lagi nanti.",
    # posters
    "poster_call": "Bagaimana layanan kami hari ini?",
    "poster_how": "Nilai layanan ini lewat chat: anonim, satu menit, sembilan pertanyaan.",
    "poster_steps": "1. Pindai kode QR dengan kamera ponsel.  2. Kirim pesan yang muncul.  "
                    "3. Jawab sembilan pertanyaan singkat.",
    "poster_telegram": "Telegram",
    "poster_whatsapp": "WhatsApp",
    "poster_counter": "Loket: {point}",
    "poster_anonymous": "Jawaban Anda tidak dikaitkan dengan nama atau nomor Anda.",
})
