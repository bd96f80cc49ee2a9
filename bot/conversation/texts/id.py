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
    "cancelled": "Dibatalkan. Tidak ada yang disimpan.",
    "nothing_to_cancel": "Tidak ada percakapan yang sedang berjalan.",
    "unknown_command": "Perintah /{command} tidak dikenal. Ketik /menu atau /bantuan.",
    "language_set": "Bahasa diganti ke Bahasa Indonesia. (Ketik /bahasa en for English.)",
    "restart_prompt": (
        "Anda sedang mengisi survei yang belum selesai. Lanjutkan survei itu atau mulai ulang?"
    ),
    "restart_continue": "Lanjutkan",
    "restart_restart": "Mulai ulang",
    "error_apology": "Maaf, terjadi kesalahan pada sistem. Silakan coba lagi sebentar lagi.",
    "wa_list_button": "Pilih",
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
        "🔒 Anonim: yang disimpan hanya jawaban Anda, tanggal, dan layanan yang dinilai — "
        "tanpa nama, nomor telepon, atau akun chat.\n"
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
    "saran_too_long": (
        "Saran Anda {n} karakter, melebihi batas {max} karakter. Mohon dipersingkat."
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
        "tahun ini, /tinjau meninjau laporan bawahan, /nilai menilai perilaku bawahan "
        "(/nilai hasil: menilai hasil kerja per indikator), /keluar memutus akun chat ini."
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
        "Terlalu banyak kode salah. Demi keamanan, coba lagi setelah 1 jam "
        "atau minta kode baru kepada admin."
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
    "status_header": "Capaian {nama} tahun {tahun} ({elapsed}% tahun berjalan):",
    "status_line": (
        "• {indikator}\n  Disetujui {approved} {satuan}, menunggu {pending} {satuan}\n"
        "  Target s.d. hari ini {prorated} dari {target} {satuan} — capaian {capaian}% "
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
        "capaian {capaian}% — saran: {saran}"
    ),
    "hk_override": " — penilaian Anda: {rating}",
    "hk_edit": "Ubah per indikator",
    "hk_done": "Selesai",
    "hk_kept": "Penilaian hasil kerja tidak diubah.",
    "hk_item": (
        "{i}/{n} {indikator} — {nama} ({period})\n• Target: {target} {satuan}"
        "\n• Realisasi disetujui: {approved} {satuan}\n• Capaian: {capaian}%\n• Saran: {saran}"
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
