# The analyst's triage of a facility: its tips page by page, the
# confirmations its corrections need, and the raid that settled it.
triage-tips-count = { $count ->
    [one] One tip in this facility
   *[other] { $count } tips in this facility
}
triage-older-tips = Older tips
triage-newest-tips = Newest tips
triage-tip-pages = Pages of tips
triage-confirm-merge = I confirm: merge this facility with the one numbered above
triage-confirm-keep-apart = I confirm: the ticked tips are about different places
triage-confirm-split = I confirm: take this tip out of { $facility }
triage-split-title = Take tip { $id } out of its facility
triage-split-explain = The tip will stand alone: it will not be grouped with { $facility } again unless a facility is merged with it.
triage-split-choose = Take out…
triage-not-confirmed = Nothing was changed: tick “I confirm” first.
triage-cancel = Cancel
triage-raided = Raided: { $reference } on { $date }
triage-raided-settled = No tip since the raid: listed below the other facilities.
triage-raided-new-tips = New tips since the raid: listed among the others.
triage-col-facility = Facility
