"""What happened to a learner's records, for whoever listens (learning.interop turns it into xAPI statements).

Each signal is sent inside the transaction that writes the record, after the write: a listener's own rows
(the xAPI outbox) commit or roll back with the record they describe. Records never import their listeners;
higher layers connect receivers when the app is ready (learning.apps), so the arrows keep pointing down.
Sent only for what changed: enrolling again, reopening a module or completing it twice sends nothing.
"""

from django.dispatch import Signal

# enrolment: the new Enrolment (self-enrolled or assigned).
enrolled = Signal()
# progress: the new ModuleProgress row (the learner's first opening of the module).
module_opened = Signal()
# visit: the learner's ReadingVisit row; at: when this visit happened (every visit, first or not).
reading_opened = Signal()
# attempt: the stored QuizAttempt (on the default-language module); result: grading's Result with every
# graded answer; shown: the module page the learner answered, in its language.
quiz_submitted = Signal()
# progress: the ModuleProgress row, just completed (completed_at set).
module_completed = Signal()
# enrolment: the Enrolment whose path the learner just completed (completed_at set).
path_completed = Signal()
