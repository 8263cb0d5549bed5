package builtin

// DetectLang returns the language of a user's message as the planner sees
// it: zh-Hant, zh-Hans, yue (Cantonese) or en.
func DetectLang(s string) string { return detectLang(s) }
