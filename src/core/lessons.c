/* lessons: lesson files, read and looked up (see lessons.h). */
#include "lessons.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENTRIES_MAX 512
#define TEXT_MAX    2048 /* one entry's text */
#define FILE_MAX    (1 << 20)

/* One language: its entries, their keys and texts in one arena. */
struct book {
    char *arena;
    size_t used, cap;
    int n;
    const char *key[ENTRIES_MAX];
    const char *text[ENTRIES_MAX];
};

extern const char lessons_builtin_en[];
extern const unsigned long lessons_builtin_en_len;

static struct book english, chosen;
static char chosen_lang[8] = "en";
static char found_dir[PATH_MAX];

static const char *keep(struct book *b, const char *s, size_t n)
{
    if (b->used + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->used + n + 1)
            cap *= 2;
        char *a = realloc(b->arena, cap);
        if (!a)
            return NULL;
        /* The arena moved: so did every string in it. */
        for (int i = 0; i < b->n; i++) {
            b->key[i] = a + (b->key[i] - b->arena);
            b->text[i] = a + (b->text[i] - b->arena);
        }
        b->arena = a, b->cap = cap;
    }
    char *p = b->arena + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

static void forget(struct book *b)
{
    free(b->arena);
    memset(b, 0, sizeof *b);
}

static int find(const struct book *b, const char *key)
{
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->key[i], key) == 0)
            return i;
    return -1;
}

__attribute__((format(printf, 5, 6))) static int bad(char *err, size_t cap, const char *name,
                                                     int line, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(err, cap, "%s:%d: %s", name, line, what);
    return -1;
}

static bool key_char(char c)
{
    return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '.' || c == '-' ||
           c == '_' || isupper((unsigned char)c);
}

/* Ends the entry being read: its text joins the book. */
static int close_entry(struct book *b, const char *key, const char *text, size_t tl, char *err,
                       size_t errcap, const char *name, int line)
{
    if (!key[0])
        return 0;
    if (tl == 0)
        return bad(err, errcap, name, line, "[%s] has no text", key);
    if (find(b, key) >= 0)
        return bad(err, errcap, name, line, "[%s] appears twice", key);
    if (b->n == ENTRIES_MAX)
        return bad(err, errcap, name, line, "more than %d entries", ENTRIES_MAX);
    const char *k = keep(b, key, strlen(key)), *t = k ? keep(b, text, tl) : NULL;
    if (!t)
        return bad(err, errcap, name, line, "out of memory");
    b->key[b->n] = k;
    b->text[b->n++] = t;
    return 0;
}

/* Parses a whole file into b (which it empties first). */
static int parse(struct book *b, const char *name, const char *data, size_t len, char *err,
                 size_t errcap)
{
    char key[64] = "", text[TEXT_MAX];
    size_t tl = 0;
    int line = 0, key_line = 0;
    forget(b);
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && data[end] != '\n')
            end++;
        size_t n = end - i;
        const char *s = data + i;
        line++;
        i = end + 1;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) /* an editor may keep them */
            n--;
        if (memchr(s, '\0', n))
            return bad(err, errcap, name, line, "a NUL byte in the text");
        if (n > 0 && s[0] == '#')
            continue;
        if (n > 0 && s[0] == '[') {
            if (close_entry(b, key, text, tl, err, errcap, name, key_line) != 0)
                return -1;
            if (n < 3 || s[n - 1] != ']' || n - 2 >= sizeof key)
                return bad(err, errcap, name, line,
                           "a key is written [like.this], at most %zu "
                           "characters",
                           sizeof key - 1);
            for (size_t k = 1; k < n - 1; k++)
                if (!key_char(s[k]))
                    return bad(err, errcap, name, line, "'%c' cannot be part of a key", s[k]);
            snprintf(key, sizeof key, "%.*s", (int)(n - 2), s + 1);
            key_line = line;
            tl = 0;
            continue;
        }
        if (n == 0) { /* a blank line ends the text: more text needs a new [key] */
            if (close_entry(b, key, text, tl, err, errcap, name, key_line) != 0)
                return -1;
            key[0] = '\0';
            continue;
        }
        if (!key[0])
            return bad(err, errcap, name, line, "text outside an entry: start it with [key]");
        while (n > 0 && (*s == ' ' || *s == '\t'))
            s++, n--;
        if (tl + n + 2 > sizeof text)
            return bad(err, errcap, name, line, "[%s] is longer than %d bytes", key, TEXT_MAX - 1);
        if (tl)
            text[tl++] = ' ';
        memcpy(text + tl, s, n);
        tl += n;
    }
    return close_entry(b, key, text, tl, err, errcap, name, key_line);
}

static const struct book *english_book(void)
{
    char err[256];
    if (english.n == 0 && parse(&english, "built-in en.txt", lessons_builtin_en,
                                lessons_builtin_en_len, err, sizeof err) != 0)
        fprintf(stderr, "sockscope: %s\n", err); /* a build error: the tests catch it */
    return &english;
}

int lessons_check(const char *name, const char *text, size_t len, char *err, size_t errcap)
{
    struct book b = {0};
    int rc = parse(&b, name, text, len, err, errcap);
    forget(&b);
    return rc;
}

/* The whole of a file, or NULL with err set. */
static char *slurp(const char *path, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    char *buf = f ? malloc(FILE_MAX) : NULL;
    if (!f || !buf) {
        snprintf(err, errcap, "%s:0: %s", path, strerror(f ? ENOMEM : errno));
        if (f)
            fclose(f);
        return NULL;
    }
    *len = fread(buf, 1, FILE_MAX, f);
    bool too_big = *len == FILE_MAX && fgetc(f) != EOF;
    fclose(f);
    if (too_big) {
        snprintf(err, errcap, "%s:0: bigger than %d bytes", path, FILE_MAX);
        free(buf);
        return NULL;
    }
    return buf;
}

int lessons_use(const char *dir, const char *lang, char *err, size_t errcap)
{
    char path[PATH_MAX];
    size_t len;
    forget(&chosen);
    snprintf(chosen_lang, sizeof chosen_lang, "en");
    if (snprintf(path, sizeof path, "%s/%s.txt", dir, lang) >= (int)sizeof path) {
        snprintf(err, errcap, "%s/%s.txt:0: the path is too long", dir, lang);
        return -1;
    }
    char *data = slurp(path, &len, err, errcap);
    if (!data)
        return -1;
    int rc = parse(&chosen, path, data, len, err, errcap);
    free(data);
    if (rc != 0) {
        forget(&chosen);
        return -1;
    }
    snprintf(chosen_lang, sizeof chosen_lang, "%s", lang);
    return 0;
}

const char *lessons_lang(void)
{
    return chosen_lang;
}

static bool has_en(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/en.txt", dir);
    return access(path, R_OK) == 0;
}

int lessons_find_dir(const char *given, char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n;
    if (given) {
        snprintf(out, cap, "%s", given);
        return has_en(out) ? 0 : -1;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/lessons", exe); /* the build tree */
            if (has_en(out))
                return 0;
            snprintf(out, cap, "%s/../share/sockscope/lessons", exe); /* installed */
            if (has_en(out))
                return 0;
        }
    }
    snprintf(out, cap, "%s/lessons", SOCKSCOPE_DATADIR);
    return has_en(out) ? 0 : -1;
}

const char *lesson_get(const char *key)
{
    int i = find(&chosen, key);
    if (i >= 0)
        return chosen.text[i];
    const struct book *en = english_book();
    i = find(en, key);
    return i >= 0 ? en->text[i] : "";
}

bool lesson_has(const char *key)
{
    return find(&chosen, key) >= 0 ||
           (strcmp(chosen_lang, "en") == 0 && find(english_book(), key) >= 0);
}

/* The most precise of call.M.S.N, call.M.any.N, call.any.S.N, call.any.any.N in b. */
static const char *call_in(const struct book *b, const char *mode, const char *side,
                           const char *call)
{
    const char *modes[] = {mode, mode, "any", "any"}, *sides[] = {side, "any", side, "any"};
    for (int k = 0; k < 4; k++) {
        char key[96];
        snprintf(key, sizeof key, "call.%s.%s.%s", modes[k], sides[k], call);
        int i = find(b, key);
        if (i >= 0)
            return b->text[i];
    }
    return NULL;
}

const char *lesson_for(enum sock_mode mode, enum ev_role role, const char *call)
{
    const char *side = role == ROLE_SERVER ? "server" : "client";
    const char *t = call_in(&chosen, mode_name(mode), side, call);
    if (!t)
        t = call_in(english_book(), mode_name(mode), side, call);
    return t ? t : "";
}

static const char *by_mode(const char *what, enum sock_mode mode)
{
    char key[160];
    snprintf(key, sizeof key, "%s.%s", what, mode_name(mode));
    return lesson_get(key);
}

const char *lesson_start(enum sock_mode mode)
{
    return by_mode("start", mode);
}

const char *lesson_closed(enum sock_mode mode)
{
    return by_mode("closed", mode);
}

const char *lesson_experiment(const char *name, enum sock_mode mode)
{
    char key[96];
    snprintf(key, sizeof key, "exp.%s", name);
    return by_mode(key, mode);
}

const char *lesson_experiment_title(int i, const char **name)
{
    static const char *const names[] = {EXPERIMENT_LIST};
    char key[64];
    if (i < 0 || i >= (int)(sizeof names / sizeof names[0]))
        return NULL;
    *name = names[i];
    snprintf(key, sizeof key, "exp.%s.title", names[i]);
    return lesson_get(key);
}

const char *ui_text(const char *key)
{
    char k[96];
    snprintf(k, sizeof k, "ui.%s", key);
    const char *t = lesson_get(k);
    return t[0] ? t : key; /* a missing word shows its key, and the test names it */
}

void lesson_fill(char *out, size_t cap, const char *text, const char *const *kv)
{
    size_t o = 0;
    if (cap == 0)
        return;
    while (*text && o + 1 < cap) {
        const char *end = *text == '{' ? strchr(text, '}') : NULL, *val = NULL;
        for (const char *const *p = kv; end && p && p[0] && p[1]; p += 2)
            if (strlen(p[0]) == (size_t)(end - text - 1) &&
                strncmp(text + 1, p[0], (size_t)(end - text - 1)) == 0)
                val = p[1];
        if (val) {
            int w = snprintf(out + o, cap - o, "%s", val);
            o += w > 0 && (size_t)w < cap - o ? (size_t)w : cap - o - 1;
            text = end + 1;
        } else {
            out[o++] = *text++;
        }
    }
    out[o] = '\0';
}

const char *ui_fill(char *out, size_t cap, const char *key, const char *const *kv)
{
    lesson_fill(out, cap, ui_text(key), kv);
    return out;
}

const char *lessons_pick(const char *given)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    if (given)
        return given;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0])
            return strncmp(v, "th", 2) == 0 ? "th" : "en";
    }
    return "en";
}

int lessons_setup(const char *dir, const char *lang, char *err, size_t errcap)
{
    if (lessons_find_dir(dir, found_dir, sizeof found_dir) != 0) {
        snprintf(err, errcap, "no lesson files in %s: using the built-in English",
                 dir ? dir : "the usual places");
        found_dir[0] = '\0';
        return -1;
    }
    if (lessons_use(found_dir, lang, err, errcap) != 0) {
        size_t n = strlen(err);
        snprintf(err + n, errcap - n, " (using the built-in English)");
        return -1;
    }
    return 0;
}

const char *lessons_dir(void)
{
    return found_dir;
}
