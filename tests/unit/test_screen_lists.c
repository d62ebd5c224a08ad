/* test_screen_lists.c — unit tests of the list loaders: OFAC CSV (joined aliases, addresses,
 * remarks), UN XML, BIS DPL, US CSL JSON, aib JSON lines, directory loading, content hashes,
 * and errors that name the file and line for malformed input. */
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aib/screen.h"
#include "screen/screen_int.h"

static int load1(aib_screen_lists_t *ls, const char *name, const char *data, aib_diag_t *d)
{
    size_t len = strlen(data);
    return aib_screen_lists_load_mem(ls, 1, &name, &data, &len, d);
}

static const aib_screen_entry_t *find(const aib_screen_lists_t *ls, const char *id)
{
    size_t i;
    for (i = 0; i < aib_screen_lists_entries(ls); i++)
        if (!strcmp(aib_screen_lists_entry(ls, i)->id, id))
            return aib_screen_lists_entry(ls, i);
    return NULL;
}

static const char SDN[] =
    "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n"
    "9647,\"ZAHHAR, Mahmoud Khaled\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "\"DOB 06 Jan 1945; POB Gaza Strip; nationality Palestinian; Passport A1234567 (Egypt).\"\r\n"
    "\x1a";
static const char ALT[] = "306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n9999,1,\"aka\",\"ORPHAN\",-0- \r\n";
static const char ADD[] = "306,199,\"Zweierstrasse 35\",\"Zurich CH-8022\",\"Switzerland\",-0- \r\n";
static const char COMMENTS[] = "9647,\"alt. DOB 1946; Identification Number 98765432 (Palestinian).\"\r\n";

TEST(screen_load_ofac_joins_files)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    const char *names[] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
    const char *data[] = {SDN, ALT, ADD, COMMENTS};
    size_t lens[] = {strlen(SDN), strlen(ALT), strlen(ADD), strlen(COMMENTS)};
    const aib_screen_entry_t *e;
    aib__scr_sha256_t s;
    char hex[65];

    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(aib_screen_lists_load_mem(ls, 4, names, data, lens, &d), 0);
    CHECK_INT(aib_screen_lists_count(ls), 1);
    CHECK_STR(aib_screen_lists_info(ls, 0)->name, "ofac-sdn");
    CHECK_INT(aib_screen_lists_info(ls, 0)->n_entries, 2);
    aib__scr_sha256_init(&s);
    aib__scr_sha256_update(&s, SDN, strlen(SDN));
    aib__scr_sha256_update(&s, "\0", 1);
    aib__scr_sha256_update(&s, ALT, strlen(ALT));
    aib__scr_sha256_update(&s, "\0", 1);
    aib__scr_sha256_update(&s, ADD, strlen(ADD));
    aib__scr_sha256_update(&s, "\0", 1);
    aib__scr_sha256_update(&s, COMMENTS, strlen(COMMENTS));
    aib__scr_sha256_hex(&s, hex);
    CHECK_STR(aib_screen_lists_info(ls, 0)->sha256, hex);
    e = find(ls, "ofac-sdn:306");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->schema, AIB_SCREEN_COMPANY);
        CHECK_INT(e->n_names, 3); /* primary, remarks a.k.a., alt.csv alias */
        CHECK_STR(e->names[0], "BANCO NACIONAL DE CUBA");
        CHECK_INT(e->n_countries, 1);
        CHECK_STR(e->countries[0], "CH");
        CHECK_STR(e->programs, "CUBA");
    }
    e = find(ls, "ofac-sdn:9647");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->schema, AIB_SCREEN_PERSON);
        CHECK_INT(e->n_dobs, 2);
        CHECK_STR(e->dobs[0], "1945-01-06");
        CHECK_STR(e->dobs[1], "1946");
        CHECK_INT(e->n_countries, 1);
        CHECK_STR(e->countries[0], "PS");
        CHECK_INT(e->n_ids, 2);
        CHECK_STR(e->ids[0], "A1234567");
        CHECK_STR(e->ids[1], "98765432");
    }
    aib_screen_lists_free(ls);
}

TEST(screen_load_ofac_errors_name_file_and_line)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "sdn.csv", "1,\"A\",-0- ,\"X\",,,,,,,,\nxyz,\"B\",-0- ,\"X\",,,,,,,,\n", &d), AIB_EPARSE);
    CHECK_STR(d.file, "sdn.csv");
    CHECK_INT(d.line, 2);
    CHECK(strstr(d.msg, "ent_num") != NULL);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "sdn.csv", "1,\"A\",-0- ,\"X\",,,,,,,,\n2,\"unterminated,\n", &d), AIB_EPARSE);
    CHECK_INT(d.line, 2);
    CHECK(strstr(d.msg, "unterminated") != NULL);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "sdn.csv", "1,\"A\"\n", &d), AIB_EPARSE);
    CHECK_INT(d.line, 1);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "sdn.csv", "1,\"A\",-0- ,\"X\"\n1,\"B\",-0- ,\"X\"\n", &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "twice") != NULL);
    CHECK_INT(aib_screen_lists_count(ls), 0); /* nothing half-loaded */
    CHECK_INT(aib_screen_lists_entries(ls), 0);
    aib_screen_lists_free(ls);
}

static const char UN[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n"
    "<DATAID>1</DATAID><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>\n"
    "<UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>\n"
    "<NAME_ORIGINAL_SCRIPT>Эрик Бадеге</NAME_ORIGINAL_SCRIPT>\n"
    "<NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>\n"
    "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>E. BADEGE</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
    "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>\n"
    "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OB 0123456</NUMBER></INDIVIDUAL_DOCUMENT>\n"
    "</INDIVIDUAL>\n</INDIVIDUALS>\n<ENTITIES>\n<ENTITY><DATAID>2</DATAID><FIRST_NAME>ACME GROUP</FIRST_NAME>"
    "<REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER><ENTITY_ADDRESS><COUNTRY>Somalia</COUNTRY></ENTITY_ADDRESS></ENTITY>\n"
    "</ENTITIES>\n</CONSOLIDATED_LIST>\n";

TEST(screen_load_un_xml)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    const aib_screen_entry_t *e;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(load1(ls, "UN_consolidated.xml", UN, &d), 0);
    CHECK_INT(aib_screen_lists_entries(ls), 2);
    e = find(ls, "un-sc:CDi.001");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->schema, AIB_SCREEN_PERSON);
        CHECK_INT(e->n_names, 3);
        CHECK_STR(e->names[0], "ERIC BADEGE");
        CHECK_STR(e->names[1], "Эрик Бадеге");
        CHECK_STR(e->countries[0], "CD");
        CHECK_STR(e->dobs[0], "1971");
        CHECK_STR(e->ids[0], "OB0123456");
    }
    e = find(ls, "un-sc:QDe.1");
    CHECK(e && e->schema == AIB_SCREEN_COMPANY && e->n_countries == 1 && !strcmp(e->countries[0], "SO"));
    aib_screen_lists_free(ls);
}

TEST(screen_load_un_errors)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "un.xml", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</INDIVIDUALS>\n", &d), AIB_EPARSE);
    CHECK_STR(d.file, "un.xml");
    CHECK(d.line >= 4);
    CHECK(d.msg[strlen(d.msg) - 1] != '\n');
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "un.xml", "<OTHER/>", &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "CONSOLIDATED_LIST") != NULL);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "un.xml", "<CONSOLIDATED_LIST><INDIVIDUALS><X/></INDIVIDUALS></CONSOLIDATED_LIST>", &d),
              AIB_EPARSE);
    CHECK(strstr(d.msg, "<X>") != NULL);
    aib_screen_lists_free(ls);
}

TEST(screen_load_dpl)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    const aib_screen_entry_t *e;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(load1(ls, "dpl.txt",
                    "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\n"
                    "\"AARON ABRAHAM VILLA\"\t\"3415 RIVERA AVENUE\"\t\"EL PASO\"\t\"TX\"\t\"US\"\n"
                    "\"ACME, LTD\"\t\"x\"\t\"y\"\t\"\"\t\"CN\"\n",
                    &d),
              0);
    CHECK_INT(aib_screen_lists_entries(ls), 2);
    e = find(ls, "bis-dpl:1");
    CHECK(e && !strcmp(e->names[0], "AARON ABRAHAM VILLA") && e->n_countries == 1 && !strcmp(e->countries[0], "US"));
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "dpl.txt", "\"Who\"\t\"Where\"\n\"A\"\t\"B\"\n", &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "Name") != NULL && d.line == 1);
    aib_screen_lists_free(ls);
}

TEST(screen_load_csl_json)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    const aib_screen_entry_t *e;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(load1(ls, "csl.json",
                    "{\"tables\":{\"sources\":[\"Entity List (EL) - Bureau of Industry and Security\"]},\n"
                    " \"entries\":[{\"n\":\"BANK OF KUNLUN CO LTD\",\"a\":[\"KARAMAY BANK\"],\"s\":0,\"t\":\"Entity\","
                    "\"c\":[\"CN\"],\"e\":\"15268\"},{\"n\":\"Ivan Petrov\",\"t\":\"Individual\",\"s\":0}]}",
                    &d),
              0);
    e = find(ls, "us-csl:EL-15268");
    CHECK(e && e->n_names == 2 && e->schema == AIB_SCREEN_COMPANY && !strcmp(e->countries[0], "CN"));
    CHECK(e && e->programs && strstr(e->programs, "Entity List"));
    e = find(ls, "us-csl:1");
    CHECK(e && e->schema == AIB_SCREEN_PERSON);
    aib_screen_lists_free(ls);
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "csl.json", "{\"entries\":[\n{\"n\":1}]}", &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "entries[0].n") != NULL);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "csl.json", "{\"entries\":[\n{\"n\":\"x\",]}", &d), AIB_EPARSE);
    CHECK_INT(d.line, 2);
    aib_screen_lists_free(ls);
}

TEST(screen_load_jsonl)
{
    aib_screen_lists_t *ls;
    aib_diag_t d;
    const aib_screen_entry_t *e;
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(load1(ls, "high-risk.jsonl",
                    "# high-risk institutions\n"
                    "{\"id\":\"hr1\",\"name\":\"Example Bank\",\"schema\":\"Company\",\"aliases\":[\"Exbank\"],"
                    "\"countries\":[\"IR\"],\"ids\":[\"SWIFT EXBKIRTH01\"],\"programs\":\"internal\"}\n"
                    "\n"
                    "{\"name\":\"Jane Roe\",\"schema\":\"Person\",\"dob\":\"1970-02-03\"}\n",
                    &d),
              0);
    CHECK_STR(aib_screen_lists_info(ls, 0)->name, "high-risk");
    e = find(ls, "high-risk:hr1");
    CHECK(e && e->n_names == 2 && !strcmp(e->countries[0], "IR") && e->n_ids == 1);
    e = find(ls, "high-risk:line4");
    CHECK(e && e->n_dobs == 1 && !strcmp(e->dobs[0], "1970-02-03"));
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "other.jsonl", "{\"name\":\"A\"}\n{\"name\":\"B\",\"schema\":\"Planet\"}\n", &d), AIB_EPARSE);
    CHECK_STR(d.file, "other.jsonl");
    CHECK_INT(d.line, 2);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "x.jsonl", "{\"name\":\"A\"}\n{\"name\":\n", &d), AIB_EPARSE);
    CHECK_INT(d.line, 2);
    aib_diag_clear(&d);
    CHECK_INT(load1(ls, "y.jsonl", "{\"name\":\"A\",\"aliases\":[1]}\n", &d), AIB_EPARSE);
    CHECK_INT(d.line, 1);
    CHECK_INT(aib_screen_lists_count(ls), 1);
    aib_screen_lists_free(ls);
}

TEST(screen_load_directory_and_unknown)
{
    char dir[] = "/tmp/aib-screen-test.XXXXXX", path[256];
    aib_screen_lists_t *ls;
    aib_diag_t d;
    FILE *f;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/custom.jsonl", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("{\"name\":\"Acme Widgets\"}\n", f);
    fclose(f);
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    CHECK_INT(aib_screen_lists_load_path(ls, dir, &d), 0);
    CHECK_INT(aib_screen_lists_entries(ls), 1);
    aib_screen_lists_free(ls);
    unlink(path);
    CHECK_INT(aib_screen_lists_new(&ls), 0);
    aib_diag_clear(&d);
    CHECK_INT(aib_screen_lists_load_path(ls, dir, &d), AIB_ENOTFOUND);
    CHECK(strstr(d.msg, "no recognised list") != NULL);
    aib_diag_clear(&d);
    CHECK_INT(aib_screen_lists_load_path(ls, "/nonexistent/lists.tar.gz", &d), AIB_EIO);
    aib_screen_lists_free(ls);
    rmdir(dir);
}

TEST(screen_csv_reader)
{
    aib__scr_csv_t c;
    aib_diag_t d;
    static const char text[] = "a,\"b,\"\"c\"\"\",\r\n\n\"multi\nline\",x\n";
    aib__scr_csv_init(&c, text, strlen(text), ',');
    CHECK_INT(aib__scr_csv_next(&c, "t.csv", &d), 1);
    CHECK_INT(c.n, 3);
    CHECK_STR(aib__scr_csv_field(&c, 1), "b,\"c\"");
    CHECK_STR(aib__scr_csv_field(&c, 2), "");
    CHECK_INT(aib__scr_csv_next(&c, "t.csv", &d), 1);
    CHECK_INT(c.line, 3);
    CHECK_STR(aib__scr_csv_field(&c, 0), "multi\nline");
    CHECK_INT(aib__scr_csv_next(&c, "t.csv", &d), 0);
    aib__scr_csv_free(&c);
}
