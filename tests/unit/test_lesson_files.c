/* Unit tests: the lesson files. Every call of both modes, every event and
 * every experiment has its text in English and in Thai; both files have
 * the same keys and the same {placeholders}; the texts the lab shows in its
 * two lesson lines fit them; and the parser names file and line for each
 * kind of mistake, falling back to the built-in English. */
#include "../../src/core/lessons.h"
#include "check.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define KEYS_MAX 600

struct keys {
    int n;
    char key[KEYS_MAX][64];
    char *text[KEYS_MAX];
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* The keys and texts of a file, read the simple way (the parser is tested apart). */
static void read_keys(const char *path, struct keys *k)
{
    char *data = slurp(path), *save = NULL;
    k->n = 0;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '[' && k->n < KEYS_MAX) {
            snprintf(k->key[k->n], sizeof k->key[0], "%.*s", (int)strcspn(line + 1, "]"),
                     line + 1);
            k->text[k->n++] = calloc(1, 4096);
        } else if (line[0] && line[0] != '#' && k->n > 0) {
            strncat(k->text[k->n - 1], line, 4096 - strlen(k->text[k->n - 1]) - 2);
            strcat(k->text[k->n - 1], " ");
        }
    }
    free(data);
}

static void free_keys(struct keys *k)
{
    for (int i = 0; i < k->n; i++)
        free(k->text[i]);
    k->n = 0;
}

static int find(const struct keys *k, const char *key)
{
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->key[i], key) == 0)
            return i;
    return -1;
}

static void missing(const char *lang, const char *what)
{
    fprintf(stderr, "%s.txt has no text for %s\n", lang, what);
}

/* A call's text: the most precise key of four, as lesson_for() looks. */
static bool has_call(const struct keys *k, const char *mode, const char *side, const char *call)
{
    const char *modes[] = {mode, mode, "any", "any"}, *sides[] = {side, "any", side, "any"};
    for (int i = 0; i < 4; i++) {
        char key[96];
        snprintf(key, sizeof key, "call.%s.%s.%s", modes[i], sides[i], call);
        if (find(k, key) >= 0)
            return true;
    }
    return false;
}

static const struct {
    const char *mode, *side, *calls[10];
} made[] = {
    {"stream", "server", {"socket", "bind", "listen", "accept", "poll", "recv", "send", "close", "unlink", "connect"}},
    {"stream", "client", {"socket", "bind", "connect", "send", "recv", "close", "unlink", NULL}},
    {"dgram", "server", {"socket", "bind", "recvfrom", "sendto", "close", "unlink", "connect", NULL}},
    {"dgram", "client", {"socket", "bind", "sendto", "recvfrom", "close", "unlink", NULL}},
};

static const char *const events[] = {
    "blocking", "peer-closed", "EPIPE",     "ECONNRESET", "ECONNREFUSED", "ENOENT",      "EADDRINUSE",
    "EINTR",    "EMSGSIZE",    "truncated", "partial",    "padding",      "socket-file", "skipped"};

static void complete(const char *dir, const char *lang)
{
    static struct keys k;
    char path[512], key[96];
    snprintf(path, sizeof path, "%s/%s.txt", dir, lang);
    read_keys(path, &k);
    for (size_t s = 0; s < sizeof made / sizeof made[0]; s++)
        for (int c = 0; c < 10 && made[s].calls[c]; c++) {
            bool ok = has_call(&k, made[s].mode, made[s].side, made[s].calls[c]);
            if (!ok) {
                snprintf(key, sizeof key, "%s %s %s()", made[s].mode, made[s].side, made[s].calls[c]);
                missing(lang, key);
            }
            CHECK(ok);
        }
    for (size_t e = 0; e < sizeof events / sizeof events[0]; e++) {
        snprintf(key, sizeof key, "event.%s", events[e]);
        if (find(&k, key) < 0)
            missing(lang, key);
        CHECK(find(&k, key) >= 0);
    }
    const char *name;
    for (int i = 0; lesson_experiment_title(i, &name); i++) {
        const char *parts[] = {"title", "stream", "dgram"};
        for (int p = 0; p < 3; p++) {
            snprintf(key, sizeof key, "exp.%s.%s", name, parts[p]);
            if (find(&k, key) < 0)
                missing(lang, key);
            CHECK(find(&k, key) >= 0);
        }
    }
    for (int m = 0; m < 2; m++)
        for (int w = 0; w < 2; w++) {
            snprintf(key, sizeof key, "%s.%s", w ? "closed" : "start", m ? "dgram" : "stream");
            CHECK(find(&k, key) >= 0);
        }
    free_keys(&k);
}

/* The {names} of a text, sorted into one string. */
static void placeholders(const char *t, char *out, size_t cap)
{
    char names[32][32];
    int n = 0;
    for (const char *p = strchr(t, '{'); p && n < 32; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        snprintf(names[n++], sizeof names[0], "%.*s", (int)(end - p - 1), p + 1);
    }
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s,", names[i]);
}

static int columns(const char *s)
{
    wchar_t w[4096];
    size_t n = mbstowcs(w, s, 4095);
    return n == (size_t)-1 ? -1 : wcswidth(w, n);
}

static void same_keys(const char *dir)
{
    static struct keys en, th;
    char path[512];
    snprintf(path, sizeof path, "%s/en.txt", dir);
    read_keys(path, &en);
    snprintf(path, sizeof path, "%s/th.txt", dir);
    read_keys(path, &th);
    for (int i = 0; i < en.n; i++) {
        int j = find(&th, en.key[i]);
        if (j < 0) {
            missing("th", en.key[i]);
            CHECK(j >= 0);
            continue;
        }
        char a[512], b[512];
        placeholders(en.text[i], a, sizeof a);
        placeholders(th.text[j], b, sizeof b);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "[%s]: en has {%s}, th has {%s}\n", en.key[i], a, b);
        CHECK_STR(a, b);
        /* What the lab shows in its two lesson lines must fit them. */
        if (strncmp(th.key[j], "call.", 5) == 0 || strncmp(th.key[j], "event.", 6) == 0) {
            int w = columns(th.text[j]);
            if (w < 0 || w > 156)
                fprintf(stderr, "[%s] is %d columns in Thai: more than two lines\n", th.key[j], w);
            CHECK(w >= 0 && w <= 156);
        }
    }
    for (int j = 0; j < th.n; j++) {
        if (find(&en, th.key[j]) < 0)
            fprintf(stderr, "th.txt has [%s], which en.txt has not\n", th.key[j]);
        CHECK(find(&en, th.key[j]) >= 0);
    }
    free_keys(&en);
    free_keys(&th);
}

/* Each kind of mistake is named with its file and line. */
static void parser_errors(void)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"[a.b]\ntext\n\nstray line\n", "x.txt:4: text outside an entry"},
        {"# c\n[a b]\ntext\n", "x.txt:2: ' ' cannot be part of a key"},
        {"[a]\none\n\n[a]\ntwo\n", "x.txt:4: [a] appears twice"},
        {"[a]\n[b]\ntext\n", "x.txt:1: [a] has no text"},
        {"[a\ntext\n", "x.txt:1: a key is written [like.this]"},
        {"[a]\nte\0xt\n", "x.txt:2: a NUL byte"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i].text);
        if (i == 5)
            len = 12;
        CHECK(lessons_check("x.txt", bad[i].text, len, err, sizeof err) == -1);
        if (strncmp(err, bad[i].says, strlen(bad[i].says)) != 0)
            fprintf(stderr, "said '%s', expected '%s...'\n", err, bad[i].says);
        CHECK(strncmp(err, bad[i].says, strlen(bad[i].says)) == 0);
    }
    CHECK(lessons_check("x.txt", "[a.b]\nline one\nline two  \n\n# c\n", 30, err, sizeof err) == 0);
}

/* A file that cannot be used leaves English speaking, and says why. */
static void falls_back(const char *dir)
{
    char err[512];
    CHECK(lessons_use(dir, "th", err, sizeof err) == 0);
    CHECK_STR(lessons_lang(), "th");
    CHECK(strcmp(lesson_for(MODE_STREAM, ROLE_SERVER, "accept"),
                 lesson_for(MODE_STREAM, ROLE_CLIENT, "connect")) != 0);
    CHECK(lessons_use("/nonexistent", "th", err, sizeof err) == -1);
    CHECK(strstr(err, "/nonexistent/th.txt:0:") == err);
    CHECK_STR(lessons_lang(), "en");
    CHECK(strstr(lesson_for(MODE_STREAM, ROLE_SERVER, "accept"), "accept()") != NULL);
    CHECK_STR(ui_text("side.server"), "server");
    /* The built-in English is the file itself. */
    char en[512];
    snprintf(en, sizeof en, "%s/en.txt", dir);
    char *data = slurp(en), first[40];
    snprintf(first, sizeof first, "%s", lesson_for(MODE_DGRAM, ROLE_CLIENT, "close"));
    CHECK(strstr(data, first) != NULL); /* (its first line, as written in the file) */
    free(data);
}

int main(void)
{
    const char *dir = SOCKSCOPE_SOURCE_DIR "/assets/lessons";
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        puts("SKIP: no C.UTF-8 locale");
        return 77;
    }
    complete(dir, "en");
    complete(dir, "th");
    same_keys(dir);
    parser_errors();
    falls_back(dir);
    return check_report();
}
