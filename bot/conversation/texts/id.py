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
