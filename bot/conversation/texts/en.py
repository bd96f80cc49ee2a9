"""English: the second language. Same keys and placeholders as ``id.py``."""

TEXTS: dict[str, str] = {
    # --- engine ------------------------------------------------------------
    "welcome": (
        "Hello! 👋 I am the local government's service assistant: rate the public service "
        "you just received (Community Satisfaction Survey), and staff can report their work."
    ),
    "stale_button": "That button belongs to an earlier question and no longer works.",
    "choose_number": "Please pick one option: type a number 1–{n} or tap its button.",
    "media_not_expected": (
        "Sorry, here I need a text answer or one of the options, "
        "not a picture, file, sticker or voice note."
    ),
    "expired": (
        "Your session ended after {minutes} minutes without activity. "
        "Answers that were not sent have not been kept."
    ),
    "cancelled": "Cancelled. Nothing was saved.",
    "nothing_to_cancel": "There is no conversation in progress.",
    "unknown_command": "Unknown command /{command}. Type /menu or /bantuan (help).",
    "language_set": "Language changed to English. (Ketik /bahasa id untuk Bahasa Indonesia.)",
    "restart_prompt": (
        "You have an unfinished survey. Continue that survey or start again?"
    ),
    "restart_continue": "Continue",
    "restart_restart": "Start again",
    "error_apology": "Sorry, something went wrong on our side. Please try again shortly.",
    "hint_menu": "Type /menu to see the options.",
    "help": (
        "How to use this service:\n"
        "• Scan the QR code at the service counter to rate the service you just received, "
        "or type /menu and choose Fill in the satisfaction survey.\n"
        "• Answer by tapping a button or typing the option's number.\n"
        "• /batal cancels the conversation, /bahasa switches language (Indonesia/English).\n"
        "The survey is anonymous: no name, number or chat account is kept with your answers."
    ),
    # --- menu --------------------------------------------------------------
    "menu_prompt": "What would you like to do?",
    "menu_survey": "Fill in the satisfaction survey",
    "menu_help": "Help",
    "menu_language": "Ganti bahasa / Change language",
    "choose_unit": "Choose the service unit you visited:",
    "choose_service": "Choose the service at {unit}:",
    "choose_point": "Choose the service point (counter) for {service}:",
    "no_units": "No service units are registered yet. Please contact the administrator.",
    # --- survey ------------------------------------------------------------
    "unknown_code": (
        "Sorry, the service code is not recognised (kode layanan tidak dikenal). "
        "Scan the QR code at the counter again, or type /menu to choose a service."
    ),
    "survey_intro": (
        "📋 Community Satisfaction Survey\n"
        "Unit: {unit}\nService: {service}\nPoint: {point}\n\n"
        "🔒 Anonymous: we keep only your answers, the date and the service rated — "
        "no name, phone number or chat account.\n"
        "There are 9 short questions, then a few optional questions about you, and a suggestion."
    ),
    "already_today": (
        "Thank you, you have already rated this service today. You can rate it again tomorrow."
    ),
    "q.persyaratan": "How well do the service requirements fit the service provided?",
    "q.prosedur": "How easy is the procedure of this service?",
    "q.waktu": "How fast was the service delivered?",
    "q.biaya": "How fair is the fee/tariff of the service?",
    "q.produk": (
        "How well does the result you received match what the service standard promises?"
    ),
    "q.kompetensi": "How competent were the officers serving you?",
    "q.perilaku": "How polite and friendly were the officers?",
    "q.pengaduan": "How are complaints, suggestions and feedback handled?",
    "q.sarana": "How good are the facilities?",
    "question_counter": "Question {i} of 9",
    "p.jenis_kelamin": "About you (optional). Your sex?",
    "p.usia": "Your age?",
    "p.pendidikan": "Your highest education?",
    "p.pekerjaan": "Your main occupation?",
    "skip": "Skip (prefer not to say)",
    "skip_short": "Skip",
    "saran_prompt": (
        "Any suggestion or feedback for this service? Write it here (at most {max} characters), "
        "or choose Skip."
    ),
    "saran_too_long": (
        "Your suggestion has {n} characters, over the {max} limit. Please shorten it."
    ),
    "review": "Your answers:\n\n{lines}\n\nSend this rating?",
    "review_send": "Send",
    "review_edit": "Change one answer",
    "review_cancel": "Cancel",
    "edit_pick": "Which answer would you like to change?",
    "field.saran": "Suggestion",
    "field.jenis_kelamin": "Sex",
    "field.usia": "Age",
    "field.pendidikan": "Education",
    "field.pekerjaan": "Occupation",
    "not_answered": "not answered",
    "survey_cancelled": "Survey cancelled. Your answers were not kept.",
    "thanks": (
        "Thank you! 🙏 Your rating has been received and will be used to improve {unit}."
    ),
    "thanks_ikm": (
        "Community Satisfaction Index of {unit} for {period} so far: {ikm} "
        "(grade {mutu}, {kinerja}) from {n} respondents."
    ),
}

#: Translations of the official Indonesian answer and profile labels
#: (``a.<unsur>.<1..4>``, ``o.<field>.<index>``). Indonesian shows the official
#: wording from ``kinerja.models`` itself, so ``id.LABELS`` is empty.
LABELS: dict[str, str] = {
    "n.persyaratan": "Requirements",
    "n.prosedur": "Procedure",
    "n.waktu": "Time to complete",
    "n.biaya": "Fee/tariff",
    "n.produk": "Service product",
    "n.kompetensi": "Officer competence",
    "n.perilaku": "Officer behaviour",
    "n.pengaduan": "Complaint handling",
    "n.sarana": "Facilities",
    "a.persyaratan.1": "Not suitable",
    "a.persyaratan.2": "Somewhat unsuitable",
    "a.persyaratan.3": "Suitable",
    "a.persyaratan.4": "Very suitable",
    "a.prosedur.1": "Not easy",
    "a.prosedur.2": "Somewhat difficult",
    "a.prosedur.3": "Easy",
    "a.prosedur.4": "Very easy",
    "a.waktu.1": "Not fast",
    "a.waktu.2": "Somewhat slow",
    "a.waktu.3": "Fast",
    "a.waktu.4": "Very fast",
    "a.biaya.1": "Very expensive",
    "a.biaya.2": "Rather expensive",
    "a.biaya.3": "Cheap",
    "a.biaya.4": "Free",
    "a.produk.1": "Does not match",
    "a.produk.2": "Partly matches",
    "a.produk.3": "Matches",
    "a.produk.4": "Fully matches",
    "a.kompetensi.1": "Not competent",
    "a.kompetensi.2": "Somewhat competent",
    "a.kompetensi.3": "Competent",
    "a.kompetensi.4": "Very competent",
    "a.perilaku.1": "Impolite and unfriendly",
    "a.perilaku.2": "Not very polite and friendly",
    "a.perilaku.3": "Polite and friendly",
    "a.perilaku.4": "Very polite and friendly",
    "a.pengaduan.1": "None",
    "a.pengaduan.2": "Exists but does not work",
    "a.pengaduan.3": "Works, not at its best",
    "a.pengaduan.4": "Well managed",
    "a.sarana.1": "Poor",
    "a.sarana.2": "Fair",
    "a.sarana.3": "Good",
    "a.sarana.4": "Very good",
    "o.jenis_kelamin.0": "Male",
    "o.jenis_kelamin.1": "Female",
    "o.pendidikan.0": "Primary (SD)",
    "o.pendidikan.1": "Junior high (SMP)",
    "o.pendidikan.2": "Senior high (SMA/SMK)",
    "o.pendidikan.3": "Diploma (D1–D3)",
    "o.pendidikan.4": "Bachelor (D4/S1)",
    "o.pendidikan.5": "Master (S2)",
    "o.pendidikan.6": "Doctorate (S3)",
    "o.pekerjaan.0": "Civil servant (PNS)",
    "o.pekerjaan.1": "Military (TNI)",
    "o.pekerjaan.2": "Police (POLRI)",
    "o.pekerjaan.3": "Private employee",
    "o.pekerjaan.4": "Self-employed",
    "o.pekerjaan.5": "Student",
    "o.pekerjaan.6": "Other",
}
