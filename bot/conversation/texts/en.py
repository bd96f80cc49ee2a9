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
    "flow_updated": (
        "This service was just updated, so the conversation in progress starts over. "
        "Sorry for the inconvenience."
    ),
    "cancelled": "Cancelled. Nothing was saved.",
    "nothing_to_cancel": "There is no conversation in progress.",
    "unknown_command": "Unknown command /{command}. Type /menu or /bantuan (help).",
    "language_set": "Language changed to English. (Ketik /bahasa id untuk Bahasa Indonesia.)",
    "restart_prompt": "You have an unfinished {flow}. Continue it or start again?",
    # the flows' names, as the restart question uses them
    "flow.survey": "survey",
    "flow.menu": "menu",
    "flow.register": "employee registration",
    "flow.intro": "introduction",
    "flow.report": "progress report",
    "flow.review": "report review",
    "flow.rating": "employee rating",
    "flow.score": "score explanation",
    "flow.selfassess": "self-assessment",
    "flow.propose": "indicator proposal",
    "flow.proposal_decision": "proposal decision",
    "flow.proposal_reply": "proposal reply",
    "restart_continue": "Continue",
    "restart_restart": "Start again",
    "error_apology": "Sorry, something went wrong on our side. Please try again shortly.",
    "wa_list_button": "Choose",
    "score_target_change": "   ↳ Target changed {old} → {new} by {nama}, {date} (reason: {reason})",
    "summary_gaps": (
        "🤝 Self-assessment and your rating are two levels apart "
        "(worth a conversation), {period}:\n{lines}"
    ),
    "summary_gap_line": "• {nama}: {items} item(s)",
    # Telegram's command menu (setMyCommands)
    "cmd.start": "Start / scan a service code",
    "cmd.menu": "Main menu",
    "cmd.batal": "Cancel the conversation",
    "cmd.bantuan": "Help",
    "cmd.bahasa": "Change language",
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
        "🔒 Anonymous: we keep only your answers, the date and its part of the day "
        "(morning, afternoon or outside service hours) and the service rated — no name, "
        "phone number, chat account or time of day.\n"
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
    "survey_at_stake": "{point}, {answered} of {total} questions answered",
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

# --- staff: linking, progress reports, supervisor review, behaviour ratings ---
TEXTS.update({
    "menu_employee": "I am an employee",
    "staff_commands": (
        "Employee commands: /lapor report progress, /status this year's achievement, "
        "/riwayat your reports and your atasan's decisions, /usul propose an indicator or "
        "a target, /keluar unlink this chat."
    ),
    "register_prompt": (
        "Type the 8-character activation code you received from the HR admin (e.g. ABCD2345)."
    ),
    "register_wrong": (
        "Unknown, used or expired code. Tries left: {left}. Please check the code."
    ),
    "register_blocked": (
        "Too many wrong codes from this chat, so /daftar is locked for now (a new code does "
        "not unlock it). Try again 1 hour after the last wrong try, or ask the staff admin to "
        "lift the lock with the command: kinerja unblock {chat}"
    ),
    "register_ok": "Done! This chat is now linked to {nama} ({jabatan}).",
    "register_already": "This chat is already linked to {nama}.",
    "unlink_ok": "This chat is no longer linked to an employee account.",
    "unlink_none": "This chat was not linked to an employee account.",
    "not_linked": (
        "This is for registered employees only. Ask the HR admin for an activation code, "
        "then type /daftar CODE (or choose I am an employee in /menu)."
    ),
    "no_indicators": "You have no performance indicators (SKP) for {tahun} yet. Contact the admin.",
    "report_pick": "Progress report {tahun}. Choose an indicator:",
    "report_amount": (
        "{indikator}\nHow much did you achieve, in {satuan}? (yearly target: {target}; "
        "decimals allowed, e.g. 2.5)"
    ),
    "amount_invalid": "Please type a number only (in {satuan}), e.g. 3 or 2.5.",
    "amount_negative": "The amount cannot be negative.",
    "report_amount_big": (
        "{amount} {satuan} is more than 10 times the yearly target ({target}). Is that right?"
    ),
    "yes": "Yes, correct",
    "no_retype": "No, retype",
    "report_description": "Briefly describe what you did (at most {max} characters).",
    "description_empty": "The description cannot be empty.",
    "description_too_long": (
        "Your text has {n} characters, over the limit of {max}. Please shorten it."
    ),
    "report_evidence": "Send evidence as a photo or document, or choose Skip.",
    "evidence_expected": "Please send a photo or document as evidence, or choose Skip.",
    "evidence_kind": "Evidence must be a photo or a document.",
    "evidence_photo": "photo",
    "evidence_document": "document",
    "evidence_none": "no evidence",
    "evidence_pending": "evidence not downloaded yet",
    "report_date": "Date of the work? Choose, or type a date dd/mm/yyyy.",
    "today": "Today",
    "yesterday": "Yesterday",
    "date_invalid": "Date not recognised. Type dd/mm/yyyy, e.g. 05/11/2026, or yesterday.",
    "date_future": "The date cannot be in the future.",
    "date_outside_year": "The date must be within {tahun}.",
    "report_review": (
        "Report summary:\n• Indicator: {indikator}\n• Achieved: {amount} {satuan}\n"
        "• Description: {description}\n• Evidence: {evidence}\n• Date: {date}\n\n"
        "Send this report?"
    ),
    "report_cancelled": "Report cancelled. Nothing was saved.",
    "report_saved": (
        "Report saved, awaiting your supervisor's approval. Type /status to see progress."
    ),
    "push_new_report": (
        "📥 New report from {nama}:\n{indikator}: {amount} {satuan}\n“{description}”\n\n"
        "Tap a button below, or type /tinjau to see every pending report."
    ),
    "status_header": "Achievement of {nama} in {tahun} ({elapsed} of the year elapsed):",
    "status_line": (
        "• {indikator}\n  Approved {approved}, pending {pending}\n"
        "  Target to date {prorated} of {target} {satuan} — achievement {capaian} ({status})"
    ),
    "status.on_track": "on track",
    "status.attention": "needs attention",
    "status.behind": "behind",
    "status.no_data": "no data yet",
    "review_none": "No reports of your staff are waiting for review.",
    "review_item": (
        "Report {i} of {n} — {nama}\n• Indicator: {indikator}\n• Achieved: {amount} {satuan}"
        "\n• Date: {date}\n• Description: {description}\n• Evidence: {evidence}"
    ),
    "review_approve": "Approve",
    "review_reject": "Reject",
    "review_comment": "Comment",
    "review_reason": "Write the reason for rejecting (at most {max} characters).",
    "review_comment_prompt": "Write your comment or feedback (at most {max} characters).",
    "review_text_empty": "The text cannot be empty.",
    "review_not_allowed": (
        "Sorry, you may not decide on this report, or it is no longer pending."
    ),
    "review_saved_approve": "Report of {nama} approved.",
    "review_saved_reject": "Report of {nama} rejected.",
    "review_saved_comment": "Comment sent to {nama}.",
    "review_done": "Done: no more reports waiting.",
    "decision_approved": (
        "✅ Your report ({indikator}: {amount} {satuan}, {date}) was approved by {atasan}.{text}"
    ),
    "decision_rejected": (
        "❌ Your report ({indikator}: {amount} {satuan}, {date}) was rejected by {atasan}. "
        "Reason: {text}"
    ),
    "decision_comment": (
        "💬 Comment from {atasan} on your report ({indikator}: {amount} {satuan}, {date}): {text}"
    ),
    "rating_no_subordinates": "You have no direct staff to rate.",
    "rating_who": "Work behaviour rating (BerAKHLAK), quarter {period}. Choose an employee:",
    "rating_value": "{i}/7 {value} — {nama} ({period})",
    "rating_previous": "Previous rating: {rating}",
    "rating_citizens": (
        "Citizens' ratings (SKM) of their service this quarter: behaviour {perilaku}, "
        "competence {kompetensi} out of 4 (n = {n})."
    ),
    "rating_citizens_none": "No citizens' ratings (SKM) of their service this quarter yet.",
    "rating.di_bawah": "Below expectations",
    "rating.sesuai": "Meets expectations",
    "rating.di_atas": "Above expectations",
    "rating_saved": "Behaviour rating of {nama} for {period} saved:\n{lines}",
})

# --- summaries and reminders (/ringkasan, weekly push) ---------------------------------------
TEXTS.update({
    "summary_not_linked": (
        "Performance summaries are for registered employees only. Ask the staff admin for an "
        "activation code, then type /daftar CODE."
    ),
    "summary_sheet_team": "Team",
    "summary_sheet_progress": "Performance",
    "summary_unit_heading": "🏢 {unit} ({code})",
    "summary_unit_no_data": "No SKM responses for this unit in period {period} yet.",
    "summary_push_header": (
        "📊 Weekly summary {period}. Type /ringkasan for the current week's summary "
        "with the XLSX file and chart."
    ),
    "reminder_text": (
        "⏰ Hello {nama}, you have not sent a progress report this week ({period}) yet. "
        "Type /lapor to report."
    ),
})

# --- /nilai hasil kerja per indicator, closed periods, /admin -------------------
TEXTS.update({
    "rating_not_allowed": "Sorry, you may not rate this employee. Nothing was saved.",
    "period_closed": (
        "The rating period {period} is closed: ratings of {nama} can no longer be given "
        "or revised. Nothing was saved."
    ),
    "hk_summary": (
        "Work results of {nama} ({period}). Suggestions come from the achievement; your "
        "rating overrides them:\n{lines}\n\nChange the work result rating per indicator?"
    ),
    "hk_line": (
        "• {indikator}: target {target} {satuan}, approved {approved} {satuan}, "
        "achievement {capaian} — suggested: {saran}"
    ),
    "hk_override": " — your rating: {rating}",
    "hk_edit": "Change per indicator",
    "hk_done": "Done",
    "hk_kept": "Work result ratings unchanged.",
    "hk_item": (
        "{i}/{n} {indikator} — {nama} ({period})\n• Target: {target} {satuan}"
        "\n• Approved so far: {approved} {satuan}\n• Achievement: {capaian}"
        "\n• Suggested: {saran}"
    ),
    "hk_current": "Your earlier rating: {rating}",
    "rating_who_results": "Work result rating for {period}. Choose an employee:",
    "hk_use_suggestion": "Use suggestion",
    "hk_no_suggestion": "no data yet",
    "hk_suggested": "{rating} (suggested)",
    "hk_saved": "Work result ratings of {nama} for {period} saved:\n{lines}",
    "hk_saved_line": "• {indikator}: {rating}",
    "hk_none": "{nama} has no performance indicators for {tahun} yet.",
    "rating_short.di_bawah": "Below",
    "rating_short.sesuai": "Meets",
    "rating_short.di_atas": "Above",
    "admin_only": "Sorry, this command is for admin chats only. Nothing was shown.",
    "admin_counts": (
        "Admin overview:\n• Units: {units}\n• Service points: {points}\n• Employees: {employees}"
        "\n• Reports awaiting review: {pending}"
    ),
})

# --- issue #7: /skor, /nilaidiri, /usul, introduction, /bantuan per role ---------------
TEXTS.update({
    "score_who": "Whose score do you want to see?",
    "score_self_option": "Myself",
    "score_not_allowed": "Sorry, you may not see this employee's score.",
    "score_header": (
        "📐 Score of {nama} — quarter {period} (SKP {tahun}). Here is how the rating comes "
        "about, step by step."
    ),
    "score_indicators": "1️⃣ Work results per indicator:\n{lines}",
    "score_indicator": (
        "• {indikator} ({jenis})\n  Target {target} {satuan}, approved {approved} "
        "{satuan}, achievement {capaian}\n  → {rating} ({source})"
    ),
    "score_by_atasan": "rated by {atasan}, {date}",
    "score_suggested": "system suggestion from achievement",
    "score_no_data": "no data yet, not counted",
    "score_none": "No indicators yet.",
    "score_unrated": "not rated",
    "score_self": "self-assessment: {rating}",
    "score_far_apart": "⚠️ two levels apart",
    "score_hasil": (
        "2️⃣ Work results: {atas} above, {sesuai} meeting, {bawah} below expectations out of "
        "{n} rated indicators.\nRule: Above when more than half are above and no main "
        "indicator is below; Below when more than half are below; otherwise Meets.\n"
        "→ Work results: {hasil}"
    ),
    "score_utama_blocked": (
        "More than half are above, but a main indicator is below expectations, so work "
        "results are Meets."
    ),
    "score_perilaku": (
        "3️⃣ Behaviour (BerAKHLAK, latest /nilai rating):\n{lines}\n"
        "Same majority rule → Behaviour: {perilaku}"
    ),
    "score_predikat": (
        "4️⃣ Rating matrix: row work results {hasil} × column behaviour {perilaku} "
        "→ Rating: {predikat}"
    ),
    "score_predikat_missing": (
        "4️⃣ The overall rating cannot be set yet: work results and behaviour both need a "
        "rating."
    ),
    "score_note": "📝 Self-assessment note of {nama} (for the direct supervisor only): “{note}”",
    "rating_self": "Employee's self-assessment: {rating}",
    "rating_self_given": "{nama} has assessed themselves this quarter; see each item.",
    "selfassess_intro": (
        "Self-assessment for {period}: {n} items (work results per indicator, then the seven "
        "BerAKHLAK values). Choose Below / Meets / Above expectations."
    ),
    "selfassess_indicator": (
        "{i}/{n} {indikator}\n• Target: {target} {satuan}\n• Approved so far: {approved} "
        "{satuan}\n• Achievement: {capaian}"
    ),
    "selfassess_value": "{i}/{n} {value}",
    "selfassess_note": (
        "A short note for your direct supervisor (at most {max} characters; only they can "
        "read it), or choose Skip."
    ),
    "selfassess_saved": (
        "Self-assessment for {period} saved. Your supervisor will see it when rating (/nilai)."
    ),
    "selfassess_reminder": (
        "📝 Hello {nama}, quarter {period} ends in {days} days. You have not assessed yourself "
        "yet: type /nilaidiri."
    ),
    "proposal_no_atasan": "A proposal needs a direct supervisor, and you have none.",
    "proposal_kind": "What do you want to propose for your SKP?",
    "proposal_kind_new": "New indicator",
    "proposal_kind_target": "Change target",
    "proposal_pick": "Choose the indicator whose target you want to change:",
    "proposal_rhk": "Planned work result (RHK) for this indicator? (at most {max} characters)",
    "proposal_indikator": "Write the performance indicator (at most {max} characters).",
    "proposal_jenis": "Kind of RHK?",
    "proposal_aspek": "Aspect of the indicator?",
    "proposal_satuan": "Unit of the target (e.g. documents, reports, days; at most {max} chars)?",
    "proposal_arah": "Direction of the indicator?",
    "arah.naik": "up (more is better)",
    "arah.turun": "down (less is better)",
    "proposal_target": "Target for the year, in {satuan}? (a number, e.g. 12 or 2.5)",
    "proposal_target_invalid": "Please type a number only, e.g. 12 or 2.5.",
    "proposal_reason": "Reason for the proposal (at most {max} characters)?",
    "proposal_reason_optional": "Reason for the proposal (at most {max} characters), or Skip.",
    "proposal_confirm": "Your proposal:\n{proposal}\n\nSend it to your direct supervisor?",
    "proposal_new_text": (
        "New indicator — RHK: {rhk}\n• Indicator: {indikator} ({jenis}, {aspek})\n"
        "• Target: {target} {satuan}, direction {arah}\n• Reason: {reason}"
    ),
    "proposal_target_text": (
        "Change target — {indikator}: {old} → {new} {satuan}\n• Reason: {reason}"
    ),
    "proposal_sent": "Proposal sent; it awaits your direct supervisor's decision.",
    "push_proposal": "📨 SKP proposal from {nama}:\n{proposal}",
    "push_proposal_disagreed": (
        "📨 {nama} does not agree with the target {target} you suggested. The proposal:\n"
        "{proposal}"
    ),
    "proposal_accept": "Accept",
    "proposal_counter": "Change target",
    "proposal_decline": "Decline",
    "proposal_agree": "Agree",
    "proposal_disagree": "Disagree",
    "proposal_not_allowed": (
        "Sorry, you may not act on this proposal, or it has already been decided. "
        "Nothing was saved."
    ),
    "proposal_counter_prompt": "Type the target you suggest, in {satuan}.",
    "proposal_done_accept": "Proposal of {nama} accepted; it is now part of the SKP.",
    "proposal_done_counter": "The new target was sent to {nama} for agreement.",
    "proposal_done_decline": "Proposal of {nama} declined; {nama} has been told.",
    "proposal_accepted_push": "✅ {atasan} accepted your proposal:\n{proposal}",
    "proposal_declined_push": "❌ {atasan} declined your proposal:\n{proposal}\nReason: {reason}",
    "proposal_countered_push": (
        "✏️ {atasan} suggests another target for your proposal:\n{proposal}\n"
        "Supervisor's target: {target} {satuan}. Agree?"
    ),
    "proposal_agreed": "Agreed: the target {target} {satuan} applies.\n{proposal}",
    "proposal_agreed_push": "🤝 {nama} agrees with the target {target} {satuan}.\n{proposal}",
    "proposal_disagreed": "Your answer was sent; your supervisor will decide again.",
    "intro_next": "Next",
    "intro_skip": "Skip",
    "intro_skipped": "Introduction skipped. Type /bantuan at any time.",
    "intro_1": (
        "👋 A short introduction ({i}/{n}). What is measured: your SKP — planned work results "
        "with indicators, targets and units — and your behaviour (the seven BerAKHLAK values)."
    ),
    "intro_2": (
        "📐 The rule ({i}/{n}): achievement = realisation ÷ target. The system suggests a "
        "rating (≥ 110% above, ≥ 100% meets expectations); your supervisor decides. Work "
        "results and behaviour combine into the overall rating of PermenPANRB 6/2022. Type "
        "/skor to see the calculation."
    ),
    "intro_3": (
        "👀 Who sees what ({i}/{n}): your reports and score are seen by you and your "
        "supervisors; a self-assessment note only by your direct supervisor. Citizens' "
        "surveys stay anonymous."
    ),
    "intro_4": (
        "📝 How to report ({i}/{n}): type /lapor, choose an indicator, enter the amount, a "
        "description, evidence and the date. /status shows progress, /nilaidiri is the "
        "self-assessment, /usul proposes an indicator or target. Type /bantuan at any time."
    ),
    "help_employee": (
        "Help for employees:\n• /lapor — report progress (with evidence)\n"
        "• /status — progress this year\n"
        "• /riwayat — your reports, your atasan's decisions; correct a rejected one\n"
        "• /skor — how your rating comes about\n• /nilaidiri — self-assessment for this quarter\n"
        "• /usul — propose a new indicator or a target change\n"
        "• /ringkasan — this week's summary\n• /keluar — unlink this chat\n"
        "• /batal cancels, /bahasa changes the language."
    ),
    "help_atasan": (
        "Help for supervisors:\n• /tinjau — review your staff's reports\n"
        "• /nilai — rate behaviour (BerAKHLAK) and work results (/nilai hasil)\n"
        "• /skor — how your or your staff's score comes about\n"
        "• /ringkasan — this week's team summary\n"
        "Your staff's SKP proposals arrive as messages with Accept / Change target / Decline; "
        "/usul lists those waiting.\n"
        "As an employee: /lapor, /status, /riwayat, /nilaidiri, /usul, /keluar. "
        "/batal cancels, /bahasa changes the language."
    ),
})

# --- evidence downloaded after the report is stored (/lapor, /tinjau) -----------------------
TEXTS.update({
    "evidence_failed_push": (
        "⚠️ The evidence for your report “{indikator}: {amount} {satuan}” of {date} could not "
        "be downloaded after {attempts} attempts. The report itself is kept, without the "
        "evidence file. If evidence is needed, send the report again with it via /lapor."
    ),
})

# --- pushes: waiting for a person who has not linked a chat (h/console, issue 14) ----------
TEXTS.update({
    "proposal_sent_waiting": (
        "Your supervisor has not linked a chat yet; the proposal is saved and will be sent "
        "when they register."
    ),
    "push_files_link": "Files: {links}",
})

# --- issue #14 (h/flows): payloads win, language kept, pages and roles, proposals and reports --
TEXTS.update({
    "restart_prompt_new": (
        "You have not finished the {flow}. Continue it, or start {new}? "
        "Answers not yet sent will be lost."
    ),
    "restart_new": "Start the new one",
    "closed": "All right, closed.",
    "language_unknown": "Language “{code}” is not available. Choices: {choices} (e.g. /bahasa id).",
    "survey_preview": "the survey of {point} at {unit}",
    "p.usia_typed": "Your age? Choose the group, or type your age in years (e.g. 34).",
    "age_invalid": "Please choose one (type a number 1–{n}) or type your age in years, e.g. 34.",
    "age_from_typed": "{group} (you typed {age} years)",
    "saran_too_long_cut": (
        "Your suggestion is {n} characters, over the limit of {max}. Cut at the limit, it "
        "reads:"
    ),
    "saran_cut_prompt": (
        "Use the suggestion cut as above, or type it again (at most {max} characters)?"
    ),
    "saran_use_cut": "Use the cut one",
    "saran_retype": "Type it again",
    "staff_commands_atasan": (
        "Employee commands: /lapor report progress, /status this year's achievement, "
        "/riwayat your reports, /usul propose an indicator or a target (and decide your "
        "staff's proposals), /tinjau review your staff's reports, /nilai rate your staff's "
        "behaviour (/nilai hasil: rate results per indicator), /keluar unlink this chat."
    ),
    "report_at_stake": "{indikator}, not yet sent",
    "proposal_at_stake": "not yet sent",
    "rating_at_stake": "{n} ratings not yet saved",
    "selfassess_at_stake": "{n} of {total} items answered",
    "back": "Back",
    "proposal_start": "{n} SKP proposals of your staff are waiting for your decision.",
    "proposal_start_decide": "Decide staff's proposals ({n})",
    "proposal_start_own": "Make my own proposal",
    "proposal_awaiting": "Your staff's SKP proposals waiting for your decision ({n}). Pick one:",
    "proposal_awaiting_item": "{nama} — {kind}: {indikator}",
    "proposal_none_awaiting": "No proposals of your staff are waiting for your decision.",
    "proposal_more_awaiting": "{n} more proposals of your staff are waiting: type /usul.",
    "review_proposals_waiting": "{n} SKP proposals of your staff are also waiting: type /usul.",
    "report_edit": "Change",
    "report_edit_pick": "Which part do you want to change?",
    "report_field.indicator": "Indicator",
    "report_field.amount": "Realisation",
    "report_field.description": "Description",
    "report_field.evidence": "Evidence",
    "report_field.work_date": "Date",
    "evidence_kept": "{evidence} (from the earlier report)",
    "revision_intro": (
        "Correcting a rejected report (your atasan's reason: “{reason}”). It is filled in: "
        "choose Change to correct what is needed, then Send. The old report stays in the "
        "history."
    ),
    "revision_not_allowed": (
        "That report cannot be corrected: it is not a rejected report of yours, or it was "
        "corrected already. Type /riwayat to see your reports."
    ),
    "push_revision": "↩️ This corrects a report rejected earlier (reason: “{reason}”).",
    "flow.history": "report history",
    "report_status.pending": "⏳ waiting for the atasan",
    "report_status.approved": "✅ approved",
    "report_status.rejected": "❌ rejected",
    "history_corrected": "(corrected)",
    "history_correction": "(correction)",
    "history_header": "Your reports of {tahun} ({n} latest):",
    "history_line": "• {date} — {indikator}: {amount} {satuan} — {status}",
    "history_decision": "   ↳ {nama}, {date}: {action} “{text}”",
    "history_decision_plain": "   ↳ {nama}, {date}: {action}",
    "history_action.approve": "approved",
    "history_action.reject": "rejected, reason:",
    "history_action.comment": "commented:",
    "history_none": "No reports for {tahun} yet. Type /lapor to report.",
    "history_pick": "Correct a rejected report and send it again?",
    "history_fix": "Correct: {indikator} ({date})",
    "history_done": "Done",
    "status_rejected": (
        "❌ {n} rejected reports not corrected yet: type /riwayat to see why and correct them."
    ),
    "proposal_start_decide_short": "Decide ({n})",
    "proposal_start_own_short": "My own proposal",
})

# --- administration: service points taken out of use (kinerja points deactivate) -----------
TEXTS.update({
    "point_inactive": (
        "Sorry, the service point “{point}” ({unit}) is no longer in use, so the survey for "
        "this QR code is closed. If you were just served there, type /menu to choose the "
        "service."
    ),
})

# --- the SKM cycle: RTL (/tindaklanjut), saran (/saran), alerts, followers (/ikuti) -------
TEXTS.update({
    "help_head": (
        "As unit head:\n• /tindaklanjut — the follow-up plan (RTL) of the SKM results\n"
        "• /saran — citizens' suggestions: read and mark them"
    ),
    "rtl_period_prev": "◀ Period {period}",
    "rtl_period_next": "Period {period} ▶",
    "rtl_mine": "📋 The RTL items you are responsible for:",
    "rtl_update_push": "📋 {nama} updated an RTL item of {unit}:\n{line}",
    "rtl_update_button": "Update progress",
    "flow.rtl": "follow-up plan",
    "flow.saran": "citizens' suggestions",
    "flow.follow": "follow a unit",
    "rtl_status_rencana": "planned",
    "rtl_status_berjalan": "under way",
    "rtl_status_selesai": "done",
    "rtl_late": " ⚠️ LATE",
    "rtl_item_line": (
        "#{id} {unsur}: {action} — by {person}, target {date}, {status} {progress}%{late}"
    ),
    "rtl_not_allowed": (
        "The follow-up plan and citizens' suggestions are for unit heads (an employee whose "
        "atasan is in another unit or none) and admins only."
    ),
    "rtl_choose_unit": "Choose the unit:",
    "rtl_pick": "Please choose one of the buttons.",
    "rtl_home": "📋 Follow-up plan (RTL) of {unit}, period {period}:",
    "rtl_none": "No RTL yet.",
    "rtl_add": "➕ Add an RTL",
    "rtl_update_item": "Update #{id}",
    "rtl_unsur_weakest": (
        "Weakest unsur of {period}: {unsur}. Choose the unsur to act on (lowest NRR first):"
    ),
    "rtl_unsur_no_answers": "No survey answers in {period} yet. Choose the unsur:",
    "rtl_saran_prompt": "Citizens' suggestions on this unsur (pick one to link, or Skip):",
    "rtl_saran_option": "Suggestion {n}",
    "rtl_action_prompt": "Write the action for the unsur {unsur} (at most {max} characters):",
    "rtl_action_empty": "The action cannot be empty. Write it:",
    "rtl_person_prompt": "Who is responsible?",
    "rtl_person_prompt_more": (
        "Who is responsible? Choose, or type the NIP or part of the name of a unit employee."
    ),
    "rtl_person_unknown": "No such employee in the unit. Type the NIP or part of the name:",
    "rtl_person_many": "More than one employee matches. Type the NIP or a fuller name:",
    "rtl_date_prompt": "Target date (dd/mm/yyyy):",
    "rtl_date_invalid": "Date not recognised. Write it like 31/12/2026:",
    "rtl_date_past": "The target date cannot be before today. Write another date:",
    "rtl_saved": "✅ RTL saved:\n{line}\nThe person responsible has been told.",
    "rtl_assigned": (
        "📌 You are responsible for an SKM follow-up action of {unit} (period {period}):\n"
        "{action}\nUnsur: {unsur}. Target: {date}. You will be reminded a week before."
    ),
    "rtl_reminder": (
        "⏰ Reminder: the follow-up action of {unit} you are responsible for is due on "
        "{date}:\n{action}\nUnsur: {unsur}. Progress now {progress}% ({status})."
    ),
    "rtl_progress_prompt": "{line}\nWhat is the progress now, in percent (0–100)?",
    "rtl_progress_invalid": "Write a whole number from 0 to 100, e.g. 40.",
    "rtl_status_prompt": "Its status?",
    "rtl_note_prompt": "A progress note (at most {max} characters), or - for none:",
    "rtl_updated": "✅ RTL updated:\n{line}",
    "rtl_summary_late": "⚠️ Late RTL ({n}):",
    "saran_home": (
        "💬 Citizens' suggestions for {unit}, period {period}: {n} ({new} new).\n"
        "Page {page} of {pages}, newest first:"
    ),
    "saran_none": "No citizens' suggestions in {period} yet.",
    "saran_line": "{n}. {date} {sesi} · {service} · {point} [{mark}{rtl}]\n“{text}”",
    "saran_next": "Next ▶",
    "saran_prev": "◀ Previous",
    "saran_mark_item": "Mark {n}",
    "saran_mark_prompt": "Suggestion {n}: “{text}”\nMark it as:",
    "saran_link_prompt": "Link it to which RTL?",
    "saran_link_none": "No link",
    "saran_marked": "✅ Suggestion marked {mark}.",
    "saran_sesi_pagi": "morning",
    "saran_sesi_siang": "afternoon",
    "saran_sesi_luar": "outside hours",
    "saran_mark_baru": "new",
    "saran_mark_ditindaklanjuti": "acted on",
    "saran_mark_tidak_relevan": "not relevant",
    "saran_mark_dipublikasikan": "published",
    "saran_theme_pujian": "praise",
    "saran_theme_lainnya": "other",
    "alert_push": (
        "🔔 {unit}, {date} {hour_from}–{hour_to}: {summary} See /saran and /tindaklanjut."
    ),
    "alert_bad": "{n} respondents gave the lowest score (1) on: {unsur}.",
    "alert_serious": "{n} suggestions were a serious complaint (e.g. illegal fees, rude staff).",
    "ikm_drop_line": (
        "📉 IKM of {unit} this week {ikm} (mutu {mutu}), down from mutu {previous} "
        "the week before."
    ),
    "menu_follow": "📣 Follow a unit's survey results",
    "follow_choose_unit": (
        "Choose the unit to follow. Each period you receive its IKM, mutu, weakest unsur and "
        "follow-up plan. Type /berhenti to stop."
    ),
    "follow_done": "✅ You follow {unit}. Type /berhenti to stop.",
    "follow_already": "You already follow {unit}.",
    "follow_stopped": "You stopped following {n} unit(s). Thank you.",
    "follow_none": "You are not following any unit.",
    "follow_period": (
        "📢 Satisfaction survey of {unit}, period {period}: IKM {ikm} (mutu {mutu}, {kinerja}) "
        "from {n} respondents. Weakest unsur: {weakest}."
    ),
    "follow_period_few": (
        "📢 Satisfaction survey of {unit}, period {period}: not enough respondents yet to "
        "publish the IKM."
    ),
    "follow_rtl_heading": "Follow-up plan:",
    "follow_rtl_line": "• {unsur}: {action} — {status} {progress}%{late}",
    "follow_rtl_none": "No follow-up plan published yet.",
    "follow_footer": "Type /berhenti to stop receiving these messages.",
})

# --- agregasi: how an indicator's reports add up (/status, /skor) ----------------------------
TEXTS.update({
    "agregasi_line": "  Realisasi adds up as: {agregasi}",
    "agregasi.jumlah": "the sum of all reports (target pro-rated to the time elapsed)",
    "agregasi.rata-rata": "the mean of the reports (against the whole target)",
    "agregasi.terakhir": "the latest report (against the whole target)",
})

# --- web: public pages, TV screen, posters, dashboard (issue 16) ---------------------------
TEXTS.update({
    "web_site_title": "Public Satisfaction Index",
    "web_skip": "Skip to content",
    "web_nav": "Navigation",
    "web_lang_switch": "Bahasa Indonesia",
    "web_period": "Period",
    "web_show": "Show",
    "web_units": "Service units",
    "web_unit": "Unit",
    "web_ikm": "IKM",
    "web_mutu": "Mutu",
    "web_kinerja": "Performance",
    "web_kinerja_A": "Very good",
    "web_kinerja_B": "Good",
    "web_kinerja_C": "Poor",
    "web_kinerja_D": "Very poor",
    "web_respondents": "Respondents",
    "web_sample": "Minimum sample (Krejcie–Morgan)",
    "web_sample_of": "{n} of {sample}",
    "web_change": "Change",
    "web_change_none": "—",
    "web_not_enough": "Not enough respondents yet (at least {min})",
    "web_no_data": "No data yet",
    "web_pooled": "Together with the {others} units below it",
    "web_own": "This unit alone",
    "web_overall": "All units",
    "web_nrr_title": "Score per service element (unsur)",
    "web_nrr_alt": "Bar chart of the score per unsur (25–100 scale) for {unit}",
    "web_unsur": "Unsur",
    "web_nrr": "NRR",
    "web_value": "Score (25–100)",
    "web_trend": "IKM trend",
    "web_trend_alt": "Chart of the IKM of {unit} for {periods}",
    "web_profiles": "Respondents by profile",
    "web_na": "Did not answer",
    "web_field_jenis_kelamin": "Sex",
    "web_field_usia": "Age",
    "web_field_pendidikan": "Education",
    "web_field_pekerjaan": "Occupation",
    "web_rtl": "Follow-up plan (RTL)",
    "web_rtl_status_rencana": "planned",
    "web_rtl_status_berjalan": "in progress",
    "web_rtl_status_selesai": "done",
    "web_saran": "Published suggestions",
    "web_weakest": "Lowest unsur",
    "web_back": "Back to all units",
    "web_not_found": "Page not found.",
    "web_tv_scan": "Scan to rate our service",
    "web_tv_how": "Anonymous · one minute · nine questions",
    "web_tv_no_qr": "Rating by chat is not available here yet.",
    "web_tv_qr_alt": "QR code to rate the service {point}",
    "web_footer": "Computed as PermenPANRB 14/2017 prescribes. No personal data.",
    "web_mutu_legend": "A very good · B good · C poor · D very poor",
    "web_updated": "Updated {time}",
    # login and dashboard
    "web_login_title": "Log in to the dashboard",
    "web_login_bad": "This login link is not valid: already used, expired or wrong. "
                     "Ask for a new one with /dasbor in the chat.",
    "web_login_slow": "Too many attempts. Please try again in a moment.",
    "web_login_button": "Log in",
    "web_login_confirm": "Press the button to log in to the dashboard.",
    "web_logged_out": "You are logged out.",
    "web_need_login": "Please log in: type /dasbor in the chat to get a link.",
    "web_forbidden": "You may not open this page.",
    "web_csrf": "The form has expired. Reload the page and try again.",
    "web_dashboard": "Dashboard",
    "web_logout": "Log out",
    "web_hello": "Logged in as {who}",
    "web_admin": "admin",
    "web_pending": "Reports waiting for review",
    "web_pending_none": "No reports of your staff are waiting for review.",
    "web_report_of": "{nama} — {indikator}: {amount} {satuan} ({date})",
    "web_evidence": "Evidence",
    "web_evidence_alt": "Photo evidence of {nama}'s report of {date}",
    "web_evidence_download": "Download the evidence document",
    "web_approve": "Approve",
    "web_reject": "Reject",
    "web_comment": "Comment",
    "web_reason": "Reason or comment",
    "web_decided_approve": "{nama}'s report approved.",
    "web_decided_reject": "{nama}'s report rejected.",
    "web_decided_comment": "Comment sent to {nama}.",
    "web_text_needed": "Write a reason or comment (at most {max} characters).",
    "web_team_elapsed": "{elapsed}% of this year has passed; targets are pro-rated.",
    "web_team_no_targets": "No targets this year yet.",
    "web_team_alt": "Chart of {nama}'s capaian per indicator against the target to date",
    "web_team_indicator": "Indicator",
    "web_team_done": "Approved realisasi",
    "web_team_target_to_date": "Target to date / for the year",
    "web_team_capaian": "Capaian",
    "web_team_status": "Status",
    "web_history": "History",
    "web_team": "Team progress",
    "web_posters": "Service point posters",
    "web_poster_a4": "A4 poster (PDF)",
    "web_poster_a5": "A5 poster (PDF)",
    "web_poster_png": "A4 poster (PNG)",
    "web_points": "Service points",
    "web_staff": "Staff",
    "web_active": "active",
    "web_inactive": "inactive",
    "web_status": "Status",
    "web_deactivate": "Deactivate",
    "web_activate": "Activate",
    "web_invites": "Employee activation codes",
    "web_invites_relink": "Also employees already linked to a chat",
    "web_invites_make": "Make codes",
    "web_invites_print": "Print this page and cut it per employee. The codes are shown only here.",
    "web_invites_how": "In the bot's chat, type /daftar {code} (valid until {until}, single use).",
    "web_point_add": "Add a service point",
    "web_staff_add": "Add an employee",
    "web_save": "Save",
    "web_field_code": "Code",
    "web_field_service": "Service",
    "web_field_name": "Point (counter) name",
    "web_field_officer": "Officer's NIP (optional)",
    "web_field_nama": "Name",
    "web_field_jabatan": "Position (jabatan)",
    "web_field_atasan": "Atasan",
    "web_field_atasan_nip": "Atasan's NIP",
    "web_field_no_atasan": "no atasan",
    "web_field_phone": "Phone",
    "web_import": "Import data",
    "web_import_kind": "Kind of data",
    "web_kind_units": "Service units",
    "web_kind_services": "Services",
    "web_kind_points": "Service points",
    "web_kind_employees": "Employees",
    "web_kind_targets": "SKP targets",
    "web_kind_skm": "Paper surveys (SKM)",
    "web_import_file": "File (CSV or XLSX)",
    "web_import_send": "Check and import",
    "web_import_errors": "The file was not imported: fix these errors.",
    "web_import_done": "Imported: {rows} rows.",
    "web_import_file_col": "File",
    "web_import_row": "Row",
    "web_import_column": "Column",
    "web_import_problem": "Problem",
    # the chat command /dasbor
    "flow.dashboard": "dashboard link",
    "dashboard_link": "Dashboard login link (single use, valid {minutes} minutes — do not "
                      "share it):\n{url}",
    "dashboard_not_linked": "The dashboard is for registered staff. Register first with "
                            "/daftar CODE.",
    "dashboard_off": "The web dashboard is not enabled (KINERJA_PUBLIC_URL is not set).",
    "dashboard_too_many": "Too many links in the last hour. Please try again later.",
    # posters
    "poster_call": "How was our service today?",
    "poster_how": "Rate this service by chat: anonymous, one minute, nine questions.",
    "poster_steps": "1. Scan the QR code with your phone's camera.  2. Send the message that "
                    "appears.  3. Answer nine short questions.",
    "poster_telegram": "Telegram",
    "poster_whatsapp": "WhatsApp",
    "poster_counter": "Counter: {point}",
    "poster_anonymous": "Your answers are not linked to your name or number.",
})
