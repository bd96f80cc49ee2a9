"""Background work of a running bot: the outbox sender, housekeeping, the weekly summary and
reminders, self-assessment reminders."""
