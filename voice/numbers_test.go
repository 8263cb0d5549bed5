package voice

import "testing"

func TestSpokenNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"book a meeting room tomorrow at three", "book a meeting room tomorrow at 3"},
		{"meet at three thirty", "meet at 3:30"},
		{"call at ten oh five", "call at 10:05"},
		{"from two to four pm", "from 2 to 4 pm"},
		{"a call at four fifteen pm", "a call at 4:15 pm"},
		{"ten forty five am", "10:45 am"},
		{"the three o'clock meeting", "the 3:00 meeting"},
		{"claim one hundred and twenty dollars", "claim 120 dollars"},
		{"claim twenty five dollars for a taxi", "claim 25 dollars for a taxi"},
		{"the flight was two thousand five hundred dollars", "the flight was 2500 dollars"},
		{"one thousand two hundred dollars", "1200 dollars"},
		{"take three days off", "take 3 days off"},
		{"leave from the fifth of may to may the ninth", "leave from the 5th of may to may the 9th"},
		{"on january twenty first", "on january 21st"},
		{"the first task", "the first task"},
		{"wait a second", "wait a second"},
		{"three four five", "3 4 5"},
		{"twenty twenty", "20 20"},
		{"at twelve thirty", "at 12:30"},
		{"at thirteen thirty", "at 13 30"},
		{"eighty dollars and twenty cents", "80 dollars and 20 cents"},
		{"zero", "0"},
		{"oh no", "oh no"},
		{"", ""},
	}
	for _, c := range cases {
		if got := spokenNumbers(c.in); got != c.want {
			t.Errorf("spokenNumbers(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
