package store

import (
	"embed"
	"strings"
)

// The SQL lives in plain files, one statement each, so it reads and diffs
// as SQL. They are loaded once at start; a missing name panics at init,
// never at the first request that needs it.
//
//go:embed queries/*.sql
var queryFS embed.FS

func query(name string) string {
	b, err := queryFS.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("store: missing query " + name)
	}
	sql := strings.TrimSpace(string(b))
	queryNames[sql] = name
	return sql
}

// queryNames maps each statement to its file's name, which names its span
// (written only while the package initialises, read-only after).
var queryNames = map[string]string{}

// queryName is the name of a statement of ours, "" for any other.
func queryName(sql string) string { return queryNames[sql] }

var (
	qInvestigationCreate = query("investigation_create")
	qInvestigationByKey  = query("investigation_by_key")
	qInvestigationGet    = query("investigation_get")
	qInvestigationLock   = query("investigation_lock")
	qInvestigationList   = query("investigation_list")
	qInvestigationUpdate = query("investigation_update")
	qInvestigationBump   = query("investigation_bump")
	qInvestigationTouch  = query("investigation_touch")
	qItemByKey           = query("item_by_key")
	qItemInsert          = query("item_insert")
	qItemsList           = query("items_list")
	qItemGet             = query("item_get")
	qItemUpdate          = query("item_update")
	qItemDelete          = query("item_delete")
	qItemSwap            = query("item_swap")
	qActivityInsert      = query("activity_insert")
	qActivityList        = query("activity_list")
	qShareInsert         = query("share_insert")
	qShareList           = query("share_list")
	qShareRevoke         = query("share_revoke")
	qShareLookup         = query("share_lookup")
)
