"""Short realistic articles shared by the integration tests."""

STORY_AR = (
    "كشف منسق وزارة الدفاع الأميركية للتحالف الدولي لهزيمة داعش آلان ماتني وجود استراتيجيات وخطط جديدة "
    "يعتمدها التحالف لمواجهة تهديدات التنظيم في العالم.\n\n"
    'وقال ماتني إن داعش لم يعد "يحكم أراض" لكن الأيديولوجية التي يتبناها التنظيم لا تزال قائمة.'
)
STORY_EN = (
    "BAGHDAD, Oct 10 - Iraq's government said on Thursday it would take over the security of the northern "
    "border crossings next month, as talks on the future of the coalition continued in Washington.\n\n"
    '"We are ready," Prime Minister Mohammed Shia al-Sudani told reporters after a cabinet meeting.'
)
