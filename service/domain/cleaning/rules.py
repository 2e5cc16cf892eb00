"""Line-level recognisers for aggregator boilerplate (Arabic and English).

Every function looks at one stripped paragraph (a non-empty line of the scraped body) and is
deliberately narrow: a marker must open the line and the line must be short, so a story sentence
that merely mentions "source", "المصدر" or "read more books" is never matched. The stateful walk
that strings these together (read-also blocks, related lists, tweets) lives in `cleaning.py`.
All patterns are compiled once at import (no I/O) because `clean` runs on every article.
"""

from __future__ import annotations

import re

SOURCE_LINE = "source_line"
TAGS = "tags"
READ_ALSO = "read_also"
RELATED_LIST = "related_list"
TEASER = "teaser"
EMBEDDED_TWEET = "embedded_tweet"
CAPTION = "caption"
SHARE = "share"
BYLINE = "byline"
DATELINE = "dateline"
TITLE_REPEAT = "title_repeat"
PAGE_CHROME = "page_chrome"
COMMENTS = "comments"

# Markers are only looked for on lines this short; story paragraphs are usually longer.
MARKER_LINE_MAX_CHARS = 300
LIST_ITEM_MAX_WORDS = 16
TAG_ITEM_MAX_WORDS = 6

_SEP = r"[:：\-–—|»›>]"  # what follows a marker: "اقرأ أيضاً:", "Read more »", "Source -"
_AFTER_AR = r"(?=\s|$|" + _SEP + ")"  # \b fails after Arabic tanween (a combining mark)
_LEAD = r"^[\s>»«•·*\-–—(\[]*"  # bullets/brackets that aggregators put before a marker

_EN_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_AR_MONTHS = (
    r"(?:يناير|فبراير|مارس|[أا]بريل|مايو|يونيو|يوليو|[أا]غسطس|سبتمبر|[أا]كتوبر|نوفمبر|ديسمبر|"
    r"كانون\s+(?:الثاني|الأول)|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين\s+(?:الأول|الثاني))"
)
_WEEKDAYS = (
    r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?|"
    r"(?:ال)?(?:سبت|[أا]حد|اثنين|إثنين|ثلاثاء|[أا]ربعاء|خميس|جمعة)"
)
_DIGITS = r"[0-9٠-٩]"
_DATE = (
    rf"(?:{_EN_MONTHS}\s+{_DIGITS}{{1,2}},?\s+{_DIGITS}{{4}}"
    rf"|{_DIGITS}{{1,2}}\s+(?:{_EN_MONTHS}|{_AR_MONTHS}),?\s+{_DIGITS}{{4}}"
    rf"|{_DIGITS}{{1,4}}[/.\-]{_DIGITS}{{1,2}}[/.\-]{_DIGITS}{{1,4}})"
)
_TIME = rf"(?:{_DIGITS}{{1,2}}:{_DIGITS}{{2}}(?::{_DIGITS}{{2}})?\s*(?:[AaPp]\.?[Mm]\.?|ص|م|GMT|UTC|بتوقيت\s+\S+)?)"

_SOCIAL = (
    r"facebook|fb|twitter|x|whatsapp|telegram|linkedin|reddit|email|e-mail|print|pinterest|"
    r"instagram|youtube|tiktok|messenger|copy\s+link|"
    r"فيسبوك|فيس\s+بوك|تويتر|إكس|اكس|واتساب|واتس\s+آب|تلغرام|تيليجرام|تليجرام|لينكدإن|"
    r"البريد(?:\s+الإلكتروني)?|طباعة|إنستغرام|انستغرام|يوتيوب|تيك\s+توك"
)
_SOCIAL_RE = re.compile(rf"^(?:(?:{_SOCIAL})[\s,|/·•\-]*){{2,}}$", re.IGNORECASE)

_SOURCE = re.compile(
    _LEAD + r"(?:(?:ال)?مصدر(?:\s+(?:الخبر|المقال|الصورة))?|المصادر|رابط\s+المصدر|"
    r"(?i:sources?|source\s+link|originally\s+published\s+(?:by|at|on)|via))"
    r"\s*[:：|\-–—]\s*(?P<rest>.*)$"
)
_SOURCE_BARE = re.compile(r"^(?:رابط المصدر|(?i:source\s+link))\s*$")
SOURCE_REST_MAX_WORDS = 6

_TAGS = re.compile(
    _LEAD + r"(?:كلمات\s+(?:دلالية|مفتاحية)|الكلمات\s+(?:الدلالية|المفتاحية)|(?:ال)?وسوم|"
    r"(?i:tags?|keywords|topics|filed\s+under))" + _AFTER_AR + r"\s*(?P<sep>" + _SEP + r")?\s*(?P<rest>.*)$"
)

_AR_READ = r"(?:[إاأ]ق[ـ]*ر[أا]|طالع|شاهد)\s+(?:[أا]يض(?:اً|ًا|ا)?|كذلك|المزيد)|للمزيد"
_EN_READ = (
    r"(?i:read\s+(?:also|more|next)|also\s+read|see\s+also|more\s+to\s+read|recommended\s+reading|further\s+reading)"
)
_READ_MARKER = re.compile(_LEAD + rf"(?:{_AR_READ}|{_EN_READ}){_AFTER_AR}\s*(?P<sep>{_SEP}+)?\s*(?P<rest>.*)$")
READ_INLINE_MAX_WORDS = 30

_LIST_HEADER = re.compile(
    _LEAD
    + r"(?:(?:مقالات|[أا]خبار|مواضيع|موضوعات|تقارير|قصص|مواد)\s+(?:مشابهة|ذات\s+صلة|متعلقة|مقترحة|[أا]خرى|ذات\s+علاقة)"
    r"|ذات\s+صلة|الأكثر\s+(?:قراءة|مشاهدة|تداولاً?|تداولا)|قد\s+(?:يهمك|يعجبك)(?:\s+[أا]يض(?:اً|ًا|ا))?"
    r"|اخترنا\s+لك|ننصحك\s+بقراءة|[أا]خبار\s+[أا]خرى"
    r"|(?i:related(?:\s+(?:articles?|stories|news|posts|content|coverage|topics|links))?"
    r"|more\s+(?:from|on|in)\s+\S+(?:\s+\S+){0,4}|more\s+(?:stories|news|like\s+this|headlines)"
    r"|most\s+(?:read|popular|viewed|shared)|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+for\s+you|\s+stories)?"
    r"|trending(?:\s+now)?|(?:top|latest)\s+(?:stories|news)|editor'?s'?\s+picks))"
    + _AFTER_AR
    + r"\s*(?P<sep>[:：]\s*)?(?P<rest>.*)$"
)

_BULLET = re.compile(r"^(?:[•·▪◦●►▸‣⁃*\-–—]|[0-9٠-٩]{1,2}[.)\-])\s*\S")
_LINK_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_TWEET_LINK = re.compile(
    r"(?<![\w.\-])(?:https?://)?(?:t\.co/|pic\.twitter\.com/|(?:mobile\.)?(?:twitter|x)\.com/\w+/status/)\S*",
    re.IGNORECASE,
)
_TWEET_SIGNATURE = re.compile(
    rf"[—–]\s*[^\n()—–]{{1,60}}?\s*\(@\w{{1,15}}\)\s*(?:{_DATE}|{_DIGITS}{{1,2}}\s+\S+\s+{_DIGITS}{{4}})"
)

_SHARE = re.compile(
    r"^(?:"
    r"(?i:share(?:\s+(?:this|the|on|via|to|with|article|story|post|page|link|now|"
    + _SOCIAL
    + r"))*|tweet|follow\s+us\b.*|like\s+us\s+on\b.*|subscribe\b.*|sign\s+up\s+(?:for|to)\b.*|"
    r"click\s+here\s+to\s+(?:subscribe|follow|share|download)\b.*|download\s+(?:our|the)\s+app\b.*|"
    r"join\s+(?:us|our)\s+(?:on|channel|whatsapp|telegram)\b.*)"
    r"|(?:شارك|شاركها|شاركوا|مشاركة|انشر|[أا]رسل)(?:\s+(?:الخبر|المقال|الموضوع|هذا|هذه|الصفحة|على|عبر|لصديق|مع|"
    + _SOCIAL
    + r"))*"
    r"|(?:تابعونا|تابعنا|تابعوا|تابع|[أا]نضم|انضموا|اشترك|اشتركوا|للاشتراك|حمّ?ل|لمتابعة)\b.{0,80}?"
    r"(?:قناتنا|صفحتنا|حسابنا|حساباتنا|موقعنا|تطبيق|النشرة|نشرتنا|جوجل\s+نيوز|[أا]خبار\s+جوجل|" + _SOCIAL + r").{0,40}"
    r")\s*[:：.!]?\s*$"
)
SHARE_MAX_CHARS = 160

_NAME = r"[A-Z][\w.'’\-]*"
_BYLINE = re.compile(
    r"^(?:"
    rf"(?:By|BY)\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*"
    r"(?:\s*[,|\-–—]\s*(?:[A-Z][\w'’\-]*|in|and|for|the|of|staff|writer|correspondent|reporter|editor)"
    r"(?:\s+(?:[A-Z][\w'’\-]*|in|and|for|the|of|staff|writer|correspondent|reporter|editor)){0,5})?"
    r"|\(?(?:Reporting|Writing|Editing|Additional\s+reporting|Compiled|Written|Story|Edited)\s+by\s+[A-Z][^.]*"
    r"|(?:بقلم|كتب|كتبت|كتبه|[إا]عداد|تحرير|ترجمة|متابعة|تقرير)\s*[:：\-–]\s*\S.{0,60}"
    r"|بقلم\s+\S.{0,60}"
    r")\s*$"
)
BYLINE_MAX_CHARS = 120

_DATELINE_LINE = re.compile(
    r"^(?:"
    r"(?:(?i:published|updated|last\s+updated|posted|first\s+published)(?:\s+(?:on|at))?"
    r"|(?:نُ?شر(?:\s+(?:في|بتاريخ|يوم))?|تاريخ\s+النشر|آخر\s+تحديث|اخر\s+تحديث|تم\s+النشر|تاريخ\s+التحديث|محدث))"
    rf"\s*(?:[:：]\s*.{{0,60}}|(?:(?:{_WEEKDAYS}),?\s+)?{_DATE}.{{0,30}}|{_TIME}.{{0,30}})"
    rf"|(?:(?:{_WEEKDAYS}),?\s+)?{_DATE}(?:\s*[-–|,]?\s*{_TIME})?"
    r")\s*$"
)

_AGENCIES = (
    r"Reuters|AP|AFP|Bloomberg|dpa|UPI|Xinhua|Anadolu|CNN|BBC|"
    r"[أا]\s?\.?\s?ف\s?\.?\s?ب|رويترز|[أا]\s?\.?\s?ب|الأناضول|د\s?\.?\s?ب\s?\.?\s?[أا]|شينخوا|يو\s+بي\s+آي|"
    r"واس|وام|قنا|كونا|سانا|بترا|إفي|الحرة|[أا]سوشيتد\s+برس|فرانس\s+برس|وكالات"
)
_DATELINE_PREFIX = re.compile(
    r"^(?:"
    r"(?:[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}(?:/[A-Z][A-Z.'’\- ]+)?"
    rf"(?:,\s*(?:{_EN_MONTHS}\s+\d{{1,2}}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:,\s*{_EN_MONTHS}\s+\d{{1,2}})?))?\s*)?"
    r"|[\u0600-\u06FF]+(?:\s+[\u0600-\u06FF]+){0,2}\s*[-–—/]?\s*"
    r")"
    rf"\((?:{_AGENCIES})\)\s*[-–—:]+\s*"
)

_ATTRIBUTION = re.compile(
    r"(?:^|\s)(?:و?(?:قال|قالت|[أا]ضاف|[أا]ضافت|[أا]كد|[أا]كدت|[أا]شار|[أا]شارت|[أا]وضح|[أا]علن|ذكر|ذكرت)|"
    r"(?i:said|says|told|added|according))(?=\s|$)"
)
_GLUED_TEASER = re.compile(r"^(?P<head>[^.،,:;!?؟\"'«»“”()\[\]]{10,120}?)\s\.\.\s(?P<rest>\S.*)$")
_SENTENCE_END = ".:"
_HAS_DIGIT = re.compile(r"\d")


def words(text: str) -> int:
    """Whitespace-separated word count (cheap; good enough for length limits)."""
    return len(text.split())


def normalized(text: str) -> str:
    """Collapse whitespace and case so repeated lines compare equal despite spacing."""
    return " ".join(text.split()).casefold()


def source_line(line: str) -> bool:
    """`المصدر: الحرة`, `مصدر الخبر: …`, `Source: Reuters`, `Source link` — short lines only."""
    if len(line) > MARKER_LINE_MAX_CHARS:
        return False
    if _SOURCE_BARE.match(line):
        return True
    match = _SOURCE.match(line)
    if not match:
        return False
    rest = match["rest"]
    return 0 < words(rest) <= SOURCE_REST_MAX_WORDS and not rest.endswith(".")


def tags_line(line: str) -> tuple[bool, bool]:
    """(is a tag line, is a bare header whose tags follow on the next lines)."""
    if len(line) > MARKER_LINE_MAX_CHARS:
        return False, False
    match = _TAGS.match(line)
    if not match:
        return False, False
    rest = match["rest"]
    if not rest:
        return True, True
    # "Tags: a, b, c" needs its separator; "Tags on the luggage …" or a long sentence is prose.
    return (bool(match["sep"]) and not rest.endswith(".") and words(rest) <= 25), False


def read_also_marker(line: str) -> tuple[bool, str]:
    """(is a read-also marker, the inline headline after it or "" when the marker stands alone)."""
    if len(line) > MARKER_LINE_MAX_CHARS:
        return False, ""
    match = _READ_MARKER.match(line)
    if not match:
        return False, ""
    rest = match["rest"]
    if not rest:
        return True, ""
    # Without a separator only "Read more" alone counts: "Read more books, she said" is prose.
    if not match["sep"] or words(rest) > READ_INLINE_MAX_WORDS:
        return False, ""
    return True, rest


def list_header(line: str) -> tuple[bool, str]:
    """(is a related-articles header, an inline first item such as `Related: <headline>`)."""
    if len(line) > MARKER_LINE_MAX_CHARS:
        return False, ""
    match = _LIST_HEADER.match(line)
    if not match:
        return False, ""
    rest = match["rest"]
    if rest and (not match["sep"] or words(rest) > LIST_ITEM_MAX_WORDS):
        return False, ""
    return True, rest


def list_item(line: str, max_words: int = LIST_ITEM_MAX_WORDS) -> bool:
    """A bullet, a bare link, or a short headline-like line (no final period or colon)."""
    if _BULLET.match(line) or _LINK_ONLY.match(line):
        return words(line) <= 2 * max_words
    return words(line) <= max_words and line[-1] not in _SENTENCE_END


def bullet_or_link(line: str) -> bool:
    return bool(_BULLET.match(line) or _LINK_ONLY.match(line))


def share_line(line: str) -> bool:
    """Share/subscribe/follow/print lines, from a closed vocabulary so prose never matches."""
    if len(line) > SHARE_MAX_CHARS:
        return False
    return bool(_SHARE.match(line) or _SOCIAL_RE.match(line))


def byline(line: str) -> bool:
    """`By Jane Doe, Reuters`, `(Reporting by …; Editing by …)`, `بقلم: …`, `كتب: …`."""
    if len(line) > MARKER_LINE_MAX_CHARS or (len(line) > BYLINE_MAX_CHARS and "by" not in line):
        return False
    return bool(_BYLINE.match(line))


def dateline_line(line: str) -> bool:
    """A line that is only a publication date/time (`Published: …`, `آخر تحديث: …`, `10/10/2024`)."""
    if len(line) > 100:
        return False
    if not _HAS_DIGIT.search(line):
        return False
    return bool(_DATELINE_LINE.match(line))


def dateline_prefix_end(paragraph: str) -> int:
    """End of an agency dateline opening the lead (`BEIRUT (Reuters) - `, `بيروت - (أ ف ب) - `), else 0."""
    if "(" not in paragraph[:80]:
        return 0
    match = _DATELINE_PREFIX.match(paragraph)
    return match.end() if match and match.end() < len(paragraph) else 0


def caption_line(line: str) -> bool:
    """Photo captions and credits: `Photo: …`, `صورة أرشيفية`, `… REUTERS/Name`."""
    return len(line) <= MARKER_LINE_MAX_CHARS and bool(_CAPTION.match(line) or _CAPTION_CREDIT.search(line))


_CAPTION = re.compile(
    r"^[(\[]?\s*(?:"
    r"(?:(?:ال)?صورة|مصدر\s+الصورة|(?i:photo|image|picture|photograph|caption|photo\s+credit|image\s+credit))\s*[:：|]\s*\S.*"
    r"|(?:صورة\s+(?:[أا]رشيفية|تعبيرية|من\s+الأرشيف)|(?i:file\s+photo|archive\s+photo|illustrative\s+image))(?:\s*[-–—:/|].{0,80})?"
    r")[)\]]?\s*$"
)
_CAPTION_CREDIT = re.compile(
    r"(?:REUTERS|Reuters|AFP|AP\s+Photo|EPA|Getty\s+Images)\s*/\s*[A-Z][\w .'’\-]{2,40}\)?\s*$"
)


def tweet_signature(line: str) -> tuple[int, int] | None:
    """Span of an embed signature `— Name (@handle) October 10, 2024` in the line, if any."""
    if "(@" not in line:
        return None
    match = _TWEET_SIGNATURE.search(line)
    return match.span() if match else None


def tweet_text(line: str) -> bool:
    """A tweet's own text as embedded: it carries a t.co / pic.twitter.com / status link."""
    return ("t.co/" in line or "twitter.com/" in line or "x.com/" in line) and bool(_TWEET_LINK.search(line))


def tweet_link_only(line: str) -> bool:
    match = _TWEET_LINK.fullmatch(line)
    return bool(match)


def repeated_phrase(line: str) -> bool:
    """A headline printed twice on one line: `P P` with P of at least three words."""
    if len(line) > 2 * MARKER_LINE_MAX_CHARS or line.find(line[:8], 1) < 0:  # cheap: P must recur
        return False
    tokens = line.split()
    half, odd = divmod(len(tokens), 2)
    return not odd and half >= 3 and tokens[:half] == tokens[half:]


def glued_teaser(line: str) -> bool:
    """Another story's `headline .. more headline` glued to its lead (Arabic aggregator style).

    Conservative: the part before " .. " is 3–10 words with no punctuation and no reporting verb,
    and a lead of at least 12 words follows, so prose using ".." as an ellipsis is kept.
    """
    if " .. " not in line:
        return False
    match = _GLUED_TEASER.match(line)
    if not match:
        return False
    head = match["head"]
    return 3 <= words(head) <= 10 and words(match["rest"]) >= 12 and not _ATTRIBUTION.search(head)


# A story paragraph: a sentence or more. Page furniture (menus, section labels, headlines, bylines
# without a marker, counters, truncated link text) is short and has no sentence end.
_SENTENCE_CLOSE = re.compile(r"[.!?؟…:]['\"”»’)\]]*$")
PROSE_MIN_WORDS = 4
PROSE_UNPUNCTUATED_WORDS = 20  # a long line is prose even where the scrape cut its end off
CHROME_TAIL_MAX_WORDS = 8


def prose(line: str) -> bool:
    """A line that reads as the story's prose rather than the page's furniture."""
    count = words(line)
    return count >= PROSE_UNPUNCTUATED_WORDS or (count >= PROSE_MIN_WORDS and bool(_SENTENCE_CLOSE.search(line)))


# Widgets seen inside real scraped pages (ads, comment forms, counters, newsletter boxes, image
# placeholders). A closed vocabulary matched on the whole line, so prose never matches.
_WIDGET = re.compile(
    r"^[\s\-–—|*•]*(?:"
    r"(?:[إا]ضافة|مساحة)\s+[إا]علان(?:ية)?|[إا]علان|[إا]علانات|(?i:-?\s*advertis(?:e)?ment\s*-?|sponsored|partner\s+content)"
    r"|(?:[أا]رسل|[أا]ضف|اترك|[أا]كتب)\s+(?:ردا?|تعليق(?:ا|اً|ك)?)(?:\s+\S+){0,3}|تقي[ي]?م\s+المقال"
    r"|تم\s+[إا]ضافة\s+تعليقك.*|\d+\s*/\s*\d+\s*\(عدد\s+الأحرف\s+المتبقية\)|[0-9٠-٩]+\s+[0-9٠-٩]*\s*[أا]صوات"
    r"|المقال\s+(?:التالي|السابق)|الخبر\s+(?:التالي|السابق)|كلمات\s+البحث|لا\s+توجد\s+صورة"
    r"|(?i:no\s+image|image\s+not\s+available|photos?\s+\d+|\d+\s+min(?:ute)?s?\s+read|close\s+ad"
    r"|a\s*\+\s*a\s*-|select\s+language:?|hide\s+buttons|show\s+buttons|about\s+(?:the\s+)?author"
    r"|related\s+story|next\s+(?:article|story|post)|previous\s+(?:article|story|post)|please\s+try\s+again\.?"
    r"|the\s+email\s+address\s+is\s+invalid(?:\s+or\s+missing)?|with\s+your\s+registration\s+you\s+agree.*"
    r"|(?:enter|your)\s+(?:your\s+)?e-?mail(?:\s+address)?.*|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top)"
    r"|[0-9٠-٩]+\s*(?:تعليق|تعليقات|comments?)(?:\s+\S+){0,4}"
    r")[\s\-–—|*•.:]*$"
)
WIDGET_MAX_CHARS = 120


def page_widget(line: str) -> bool:
    """An ad marker, a comment form, a counter, a newsletter box or an image placeholder."""
    return len(line) <= WIDGET_MAX_CHARS and bool(_WIDGET.match(line))


_COMMENTS_HEADER = re.compile(
    r"^[\s\-–—|*•]*(?:التعليقات|تعليقات\s+القراء|تعليقات\s+الزوار|[0-9٠-٩]*\s*تعليقات?\s*:?"
    r"|(?i:comments?|[0-9]+\s+comments?|reader\s+comments|leave\s+a\s+(?:reply|comment)|join\s+the\s+conversation)"
    r")[\s:()0-9٠-٩]*$"
)


def comments_header(line: str) -> bool:
    """The heading of a page's comment section: what follows is readers', not the story's."""
    return len(line) <= 60 and bool(_COMMENTS_HEADER.match(line))
