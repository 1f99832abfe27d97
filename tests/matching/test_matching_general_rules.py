"""The general attribution rules added while measuring the matcher on held-out items, one example
each (written for this file, not taken from any labelled set)."""

from __future__ import annotations

import pytest
from matching_helpers import assert_stances

from monitor.matching.matcher import Matcher

CASES = [
    # "as" before a role is a preposition, not a clause link
    ("Oman says it could act as a bridge between India and Pakistan", "", {"oman": "offers_mediation"}),
    # a side asking an outside party to act welcomes mediation
    ("Pakistan urges Washington to help settle the Kashmir dispute", "",
     {"pakistan": "welcomes_mediation"}),
    # outside parties named without a state
    ("Islamabad asks the international community to intervene on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    # the outside role named in so many words, one side only
    ("India will never accept third-party mediation, says Jaishankar", "",
     {"india": "rejects_mediation"}),
    # a gap does not run past a comma into the next phrase
    ("Pakistan rejects India's stance, calls for a UN role on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    # a quote's attribution supplies the outside party a rejection needs
    ("'Kashmir is an internal matter': India to Turkey after Erdogan remarks", "",
     {"india": "rejects_mediation"}),
    # a possessive offer inside a welcome stays its maker's; a requested one is not an offer
    ("Sharif welcomes Riyadh's mediation offer on Kashmir", "",
     {"pakistan": "welcomes_mediation", "saudi_arabia": "offers_mediation"}),
    ("Pakistan seeks Beijing's intervention on Kashmir", "", {"pakistan": "welcomes_mediation"}),
    # another body's Secretary-General is not the UN's
    ("OIC Secretary-General offers good offices to India and Pakistan", "",
     {"oic": "offers_mediation"}),
    # a passive names its agent, even inside another actor's request
    ("Kashmir: OIC call rebuffed",
     "The OIC's call for UN involvement in Kashmir was rejected by India.",
     {"oic": "welcomes_mediation", "india": "rejects_mediation"}),
    # a Nobel Peace Prize for an outsider's part in the crisis credits its role in the peace
    ("Islamabad to recommend Trump for 2026 Nobel Peace Prize over India standoff", "",
     {"pakistan": "welcomes_mediation"}),
    # a negation coordinated with the cue's own is not a second one that flips it
    ("India does not and will never accept mediation on Kashmir, says PM", "",
     {"india": "rejects_mediation"}),
    # a name and "said" after a list is the speaker, not one more list member
    ("Kashmir talks", "There is no question of mediation between India and Pakistan, Misri said.",
     {"india": "rejects_mediation"}),
    # denying any talk of an outside role leaves the outsider no offer
    ("Misri: at no stage was there any talk of US mediation with Pakistan", "",
     {"india": "rejects_mediation"}),
    # a time clause ends what a rejection covers
    ("New Delhi rules out third-party role after Trump renews Kashmir offer", "",
     {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    # "The prime minister" opening a sentence: the one actor named earlier under that title
    ("Erdogan, Shehbaz discuss India tensions",
     "Turkish President Recep Tayyip Erdogan told Prime Minister Shehbaz Sharif that Ankara was "
     "ready to mediate between Islamabad and New Delhi. The prime minister appreciated the offer.",
     {"turkey": "offers_mediation", "pakistan": "welcomes_mediation"}),
    # a passive's agent mediates; repeating one's credit is a claim, not a thank-you
    ("India-Pakistan truce followed talks mediated by Saudi Arabia", "",
     {"saudi_arabia": "offers_mediation"}),
    ("Trump repeats credit for India-Pakistan ceasefire in Riyadh", "",
     {"united_states": "offers_mediation"}),
    # a comma inside a list of names is no new clause
    ("Moscow hopes India, Pakistan will resolve differences bilaterally", "",
     {"russia": "urges_dialogue"}),
    # "A day earlier he ..." is the one actor an earlier sentence had act
    ("Lavrov offers to host India-Pakistan talks",
     "Russian Foreign Minister Sergei Lavrov said Moscow was ready to mediate. A day earlier he "
     "spoke to Indian and Pakistani officials, urging them to exercise restraint.",
     {"russia": "offers_mediation"}),
    # a quoted head's speaker is the actor after the colon, even before a list
    ("'Purely internal matter': New Delhi rebuffs Ankara, Kuala Lumpur on Kashmir", "",
     {"india": "rejects_mediation"}),
    # telling an outsider to refrain from comment is no call for dialogue
    ("'Internal matter': India hits back at Malaysia over Kashmir remarks",
     "New Delhi said Malaysia should refrain from comments on Jammu and Kashmir.",
     {"india": "rejects_mediation"}),
    # an outsider's own call for dialogue outranks its appreciation of another's efforts
    ("Oman welcomes India-Pakistan ceasefire",
     "Oman expressed appreciation for the efforts of Saudi Arabia and called on both sides to "
     "resolve their differences through dialogue.",
     {"oman": "urges_dialogue"}),
    # "countries that helped secure it": the relative clause's act, not the subject's
    ("Arab League welcomes Pakistan-India truce, commends nations that helped broker it", "",
     {"arab_league": "urges_dialogue"}),
    # verbs listed after a side's own modal stay that side's
    ("Beijing hopes Islamabad and New Delhi will exercise restraint, meet halfway and work "
     "together to ease tensions", "", {"china": "urges_dialogue"}),
    # a side telling the peace step as worked out directly between the two rejects an outside role
    ("Truce with Pakistan", "New Delhi says the ceasefire was worked out directly between the "
     "two militaries.", {"india": "rejects_mediation"}),
    # a side disputing a mediation claim in a relative clause
    ("Trump repeats Kashmir mediation claim, which New Delhi disputes", "",
     {"united_states": "offers_mediation", "india": "rejects_mediation"}),
    # an unnamed teller before a quote: the pair in the quote is described, not speaking
    ("'No room for third party': India at UN",
     "Responding to Shehbaz Sharif crediting Trump, she said: \"India and Pakistan have long "
     "agreed that any issue between them will be addressed bilaterally.\"",
     {"india": "rejects_mediation"}),
    # "the President's sincere offers": an adjective before the offer noun
    ("Trump says he can help settle Kashmir",
     "Islamabad deeply appreciates the President's sincere offers to help resolve the dispute.",
     {"united_states": "offers_mediation", "pakistan": "welcomes_mediation"}),
    # a state's named official speaking ("Pakistan's Munir Akram said")
    ("OIC contact group meets on Kashmir",
     "Pakistan's Munir Akram said the world must help resolve the Kashmir dispute.",
     {"pakistan": "welcomes_mediation"}),
    # capitals are aliases; an assertion is a claim
    ("Dar thanks London for its role in India-Pakistan truce", "",
     {"pakistan": "welcomes_mediation"}),
    ("Jaishankar rejects Trump's assertion that he brokered the ceasefire with Pakistan", "",
     {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    # a comma inside a quote is no clause boundary
    ("Kashmir: India rules out third-party role",
     "Trump had said Washington was watching Kashmir \"very, very closely\" and would help "
     "if it could.", {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    # a conditional "would do it if asked"; "trying to help" both sides
    ("Kashmir mediation up to Modi, says Trump",
     "Trump said he would certainly do it if asked by India and Pakistan.",
     {"united_states": "offers_mediation"}),
    ("Erdogan says Turkey trying to help India, Pakistan reach a ceasefire", "",
     {"turkey": "offers_mediation"}),
    # a purpose judged important is no offer
    ("US says contact between India and Pakistan is important to reduce tensions, urges "
     "restraint", "", {"united_states": "urges_dialogue"}),
    # an actor with its own "said" is not reported by an earlier speaker
    ("No offer of mediation from Russia, says India",
     "The MEA said \"no offer was made by Russia\", after Pakistan's Foreign Office said it "
     "welcomed Moscow's intention to play a role in the Kashmir issue.",
     {"india": "rejects_mediation", "pakistan": "welcomes_mediation"}),
    # "Indo-Pak issues": a compound modifier, not a subject
    ("Russia: Indo-Pak issues must be resolved bilaterally", "", {"russia": "urges_dialogue"}),
    # office-holders of earlier years, and the longest alias wins ("Sofiya Qureshi" is India's)
    ("Sushma Swaraj rules out third-party mediation on Kashmir", "",
     {"india": "rejects_mediation"}),
    ("Col Sofiya Qureshi: India will not accept any third-party mediation with Pakistan", "",
     {"india": "rejects_mediation"}),
    ("IEA calls on India, Pakistan to resolve issues through dialogue", "",
     {"afghanistan": "urges_dialogue"}),
    # "do its part", "spent hours engaging" both sides before the truce
    ("Turkey ready to do its part to ease Pakistan-India tension: Erdogan", "",
     {"turkey": "offers_mediation"}),
    ("Rubio says he spent 48 hours engaging Indian and Pakistani officials before the ceasefire",
     "", {"united_states": "offers_mediation"}),
    # the one met is an object; "urged him to play his role" asks an outsider in
    ("Pakistan's envoy Maleeha Lodhi met Guterres and urged him to play his role on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    # "worked out directly" told by a side's official
    ("Truce with Pakistan", "India's foreign secretary said the understanding was worked out "
     "directly between the two militaries.", {"india": "rejects_mediation"}),
    # "as well as" joins a list, it does not start a clause
    ("Shehbaz thanks friendly countries for ceasefire with India",
     "He thanked Saudi Arabia, Qatar and the UK, as well as President Trump, for their role in "
     "bringing about the ceasefire.", {"pakistan": "welcomes_mediation"}),
    # thanking for an offer to help resolve the crisis is about mediation, process word or not
    ("Saudi envoy in Islamabad as India tensions rise",
     "Qureshi thanked Riyadh for its offer to help resolve the crisis with India.",
     {"pakistan": "welcomes_mediation", "saudi_arabia": "offers_mediation"}),
    # the body addressed is no agent
    ("Addressing the SCO summit, Shehbaz says Pakistan ready for dialogue with India", "",
     {"pakistan": "urges_dialogue"}),
    # signing the framework is no answer to an outside role
    ("Vajpayee, Nawaz Sharif sign Lahore Declaration, agree to intensify talks on Kashmir", "",
     {}),
    # "China-backed": a compound adjective, not China backing anything
    ("India rejects outside role after China-backed Security Council consultations on Kashmir",
     "", {"india": "rejects_mediation"}),
    # adverbs before "resolved"; dialogue as the best path
    ("China, Pakistan joint statement on Kashmir",
     "China said the Kashmir dispute should be properly and peacefully resolved.",
     {"china": "urges_dialogue"}),
    ("Alice Wells: direct dialogue between India and Pakistan offers the best path on Kashmir",
     "", {"united_states": "urges_dialogue"}),
    # "claims of having brokered"
    ("Modi tells Lok Sabha no leader asked India to stop, amid Trump's claims of having brokered "
     "the ceasefire with Pakistan", "",
     {"united_states": "offers_mediation", "india": "rejects_mediation"}),
    # "such references": the outsider named before; telling it to refrain from comments rejects
    ("China-Pakistan statement mentions Kashmir",
     "China said the Kashmir dispute should be resolved peacefully. The MEA said India has "
     "always rejected such references.",
     {"china": "urges_dialogue", "india": "rejects_mediation"}),
    ("'Refrain from such comments': India tells Malaysia over Kashmir remark", "",
     {"india": "rejects_mediation"}),
    # a side saying an outsider could help wishes it, the outsider offers nothing; an
    # appositive's commas end no clause
    ("Imran Khan says Trump can play a big role in bringing India, Pakistan to the table", "",
     {"pakistan": "welcomes_mediation"}),
    ("Khan on Kashmir", "The Pakistani prime minister said the United States, as the world's "
     "most powerful country, could help bring India and Pakistan together.",
     {"pakistan": "welcomes_mediation"}),
    # what both sides are hoped to do is theirs, not the hoper's offer
    ("Beijing hopes both will exercise restraint and work together to cool down the situation "
     "between India and Pakistan", "", {"china": "urges_dialogue"}),
    # only the headline's subject right after the comma takes a subjectless cue
    ("Bilawal in Washington", "\"We welcome the offer of mediation on Kashmir,\" he said, adding "
     "that India was avoiding talks with Pakistan.", {"united_states": "offers_mediation"}),
    # a quote's speaker after the closing quote and a title ('...," President Trump told')
    ("Trump hosts Munir",
     "\"I stopped a war between Pakistan and India,\" President Trump told reporters after the "
     "lunch, calling Munir influential.", {"united_states": "offers_mediation"}),
    # a speaker then a trailing adverbial ("..., Bagchi said, after ...")
    ("India on OIC meet", "\"Other countries, including China, have no locus standi to comment,\" "
     "MEA spokesperson Arindam Bagchi said, after Wang Yi spoke at the OIC session on Kashmir.",
     {"india": "rejects_mediation"}),
    ("India rejects Wang Yi's 'uncalled' Kashmir reference at OIC meet", "",
     {"india": "rejects_mediation"}),
    # a quoted label of someone's message is no stance of the clause's subject
    ("Hours after PM's 'no mediation' message, Trump says again he stopped India-Pakistan war", "",
     {"united_states": "offers_mediation"}),
    # a body's documents are no act of it; "such references" then name the one outsider acting
    ("China-Pakistan statement on Kashmir",
     "The Chinese side said Kashmir should be resolved on the basis of the UN Charter and "
     "Security Council resolutions. The MEA said India has always rejected such references.",
     {"china": "urges_dialogue", "india": "rejects_mediation"}),
    # "no leader asked India to stop"; the truce "worked out between the DGMOs", he said
    ("No leader in the world asked India to stop Operation Sindoor, says Modi", "",
     {"india": "rejects_mediation"}),
    ("What MEA said on Trump's claim",
     "There was no talk of trade, MEA spokesperson Randhir Jaiswal said. The understanding was "
     "worked out between the DGMOs of India and Pakistan, he said.",
     {"india": "rejects_mediation"}),
    # a possessed rebuff of the offer; a side's "bilateral resolution" line
    ("Ball in India's court, says FO",
     "Pakistan welcomed President Trump's offer to mediate and said New Delhi's swift rebuff of "
     "it was expected.",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation",
      "india": "rejects_mediation"}),
    ("Position on bilateral resolution of Pakistan issues unchanged, says MEA after Haley remark",
     "", {"india": "rejects_mediation"}),
    # "the cessation was requested by Pakistan" in another clause than the outsider named
    ("No Modi-Trump call during the conflict, Jaishankar tells Rajya Sabha",
     "Jaishankar said there was no conversation between the Prime Minister and the US President "
     "and that the cessation of firing was requested by Pakistan through the DGMO channel. "
     "There was no mediation, he said.", {"india": "rejects_mediation"}),
    # "It reaffirmed": a body's pronoun before a verb of stating
    ("OIC welcomes Pakistan-India ceasefire",
     "The OIC welcomed the ceasefire and commended the efforts of friendly countries. It "
     "reaffirmed that the dispute should be resolved peacefully in line with UN resolutions.",
     {"oic": "urges_dialogue"}),
    # "from India's Jaishankar and Pakistan's Dar": the officials stand where their states do
    ("Saudi FM holds calls with Indian, Pakistani counterparts",
     "Saudi Foreign Minister Prince Faisal received calls from India's S. Jaishankar and "
     "Pakistan's Ishaq Dar. He stressed the importance of dialogue.",
     {"saudi_arabia": "urges_dialogue"}),
    # what the urged parties are to do is no offer by the one urging
    ("Indonesia calls on India, Pakistan to prioritise dialogue and diplomacy to prevent the "
     "situation from deteriorating", "", {"indonesia": "urges_dialogue"}),
    # an outsider asking the world to help welcomes outside involvement
    ("OIC urges world to help resolve Kashmir dispute",
     "The OIC Secretary General called on the international community to redouble efforts for a "
     "peaceful settlement of the dispute.", {"oic": "welcomes_mediation"}),
    # "government sources in New Delhi said"; a speaker before a colon and a quote
    ("Ceasefire with Pakistan", "Government sources in New Delhi said the ceasefire was worked "
     "out between the two DGMOs.", {"india": "rejects_mediation"}),
    ("US on India-Pakistan tensions", "Asked about the remarks, State Department spokesperson "
     "Matthew Miller said: \"We encourage India and Pakistan to find a resolution through "
     "dialogue.\"", {"united_states": "urges_dialogue"}),
    ("UN chief encouraged by India-Pakistan ceasefire", "", {"united_nations": "urges_dialogue"}),
    ("GCC chief welcomes Pakistan-India ceasefire, urges dialogue", "", {"gcc": "urges_dialogue"}),
    # "US-brokered talks": the compound's actor brokered them; "objective" is no objection
    ("India and Pakistan agree to ceasefire after US-brokered talks", "",
     {"united_states": "offers_mediation"}),
    ("China says it mediated India-Pakistan tensions among this year's hotspots",
     "Wang Yi said China had upheld an objective and just stance and mediated in hotspot issues "
     "including tensions between Pakistan and India.", {"china": "offers_mediation"}),
    # a broad "keeping outsiders out" reading is the telling side's, not the outsider's
    ("Not for others to comment on Kashmir, says India after Xi-Imran talks",
     "The MEA said China is well aware of India's position and \"it is not for other countries "
     "to comment\".", {"india": "rejects_mediation"}),
    # the one briefed or brought to the table is an object
    ("Qureshi briefs Beijing on Kashmir",
     "Qureshi briefed Beijing on India's move and sought its support for taking the matter to "
     "the UN Security Council.", {"pakistan": "welcomes_mediation"}),
    # "According to ISPR, Munir ...": the fronted source is no list with the subject
    ("Trump hosts Munir, says he stopped a war between Pakistan and India",
     "According to ISPR, Munir appreciated Trump's constructive role in facilitating the "
     "ceasefire.", {"united_states": "offers_mediation", "pakistan": "welcomes_mediation"}),
    # "provided both accept" is a condition, not their acceptance
    ("UN chief ready to use good offices on Kashmir",
     "Guterres is ready to offer his good offices, provided both Islamabad and New Delhi accept.",
     {"united_nations": "offers_mediation"}),
    # a willingness with an adverb; a part in a multilateral dialogue offered
    ("Trump says he would certainly intervene on Kashmir if India and Pakistan want", "",
     {"united_states": "offers_mediation"}),
    ("Erdogan says Turkey could be part of a multilateral dialogue on Kashmir", "",
     {"turkey": "offers_mediation"}),
    # regretting the other side's rebuff of an outside offer backs the offer
    ("Imran Khan surprised by India's reaction to Trump's Kashmir mediation offer", "",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"}),
    # "told him that India and Pakistan must ... and that no third party should": the
    # reporter's second clause
    ("Macron on Kashmir", "Macron said he had told Modi that India and Pakistan must find a "
     "solution together and that no third party should interfere.", {"france": "rejects_mediation"}),
    # "any such request": the outsider named before
    ("White House stands by Trump's Kashmir mediation claim",
     "New Delhi has flatly denied that any such request was made.",
     {"united_states": "offers_mediation", "india": "rejects_mediation"}),
    # a side saying an outsider "had a responsibility to step in" wishes for its role
    ("Trump renews Kashmir offer as he meets Imran",
     "Imran said the US, as the world's most powerful country, had a responsibility to step in.",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"}),
    # "mediating between", "can be involved", asking an outsider "to help bring" the other side
    ("UAE mediating between India and Pakistan, says senior Emirati diplomat", "",
     {"united_arab_emirates": "offers_mediation"}),
    ("Erdogan advocates multilateral dialogue on Kashmir, says Turkey can be involved", "",
     {"turkey": "offers_mediation"}),
    ("Shehbaz asks UAE president to help bring India to the table on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    # a speaker in one part of a "...; ..." teaser
    ("Trump hosts Munir for lunch",
     "Army chief appreciates US president's constructive role in May ceasefire with India, says "
     "ISPR; Trump tells reporters he stopped a war.",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"}),
    # a side that sought the UN meeting
    ("UN Security Council discusses Kashmir",
     "The Security Council met on Kashmir. India said the matter was internal, while Pakistan, "
     "which sought the meeting at the Security Council, said the voice of Kashmiris was heard.",
     {"india": "rejects_mediation", "pakistan": "welcomes_mediation"}),
    # a reporter needs its verb within a few words and no comma ("if both Pakistan and India
    # accept them, his spokesman said": India reports nothing)
    ("Ban offers good offices on Kashmir",
     "Ban Ki-moon is ready to use his good offices if both Pakistan and India accept them, his "
     "spokesman said, after Pakistan's envoy met him and urged him to play his role.",
     {"united_nations": "offers_mediation", "pakistan": "welcomes_mediation"}),
    # "would" in the welcomed statement is no hypothetical welcome
    ("FO welcomes Haley's remarks on US role",
     "Pakistan welcomed Haley's statement that the Trump administration would try to be part of "
     "efforts to lower tensions between Pakistan and India.",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"}),
    # "China's UN ambassador": China's envoy to the UN
    ("UN Security Council meets on Kashmir", "China's UN ambassador Zhang Jun said the dispute "
     "should be resolved peacefully.", {"china": "urges_dialogue"}),
    # regret over an outsider's remarks rebuffs them; what a side should do, told by an outsider
    ("India 'regrets' Mahathir's Kashmir remarks at UNGA",
     "Mahathir had told the Assembly that India should resolve the problem through dialogue "
     "with Pakistan.", {"india": "rejects_mediation", "malaysia": "urges_dialogue"}),
    # "The prime minister, according to his office, urged the US to impress upon India"
    ("Rubio calls Shehbaz Sharif",
     "Rubio spoke to Prime Minister Shehbaz Sharif. The prime minister, according to his office, "
     "urged the US to impress upon India to tone down its rhetoric.",
     {"pakistan": "welcomes_mediation"}),
    # thanks for a role "for peace"
    ("Shehbaz thanks Trump after ceasefire with India",
     "Shehbaz Sharif thanked the US President for his leadership and proactive role for peace.",
     {"pakistan": "welcomes_mediation"}),
    # "his call": a pronoun needs an outsider that acted, not the forum named
    ("India calls off Swaraj-Qureshi meet", "On the sidelines of the UN General Assembly, Imran "
     "Khan said he was disappointed at India's response to his call for peace talks.",
     {"pakistan": "urges_dialogue"}),
    # "to be a part of de-escalating", "involved in trying to", "'neutral site' talk" rejected,
    # a side that "should work with" the other to resolve is being urged
    ("US eyes a role in cooling India-Pak tensions: Haley",
     "The Trump administration would find its place to be a part of de-escalating India-Pakistan "
     "tensions, Nikki Haley said.", {"united_states": "offers_mediation"}),
    ("Trump says US has been involved in trying to have India, Pakistan stop", "",
     {"united_states": "offers_mediation"}),
    ("India cold-shoulders 'neutral site' talk with Pakistan", "", {"india": "rejects_mediation"}),
    ("Mahathir on Kashmir", "Mahathir said India should work with Pakistan to resolve the issue.",
     {"malaysia": "urges_dialogue"}),
    # "time for the UN to take action"; a side glad its cause was heard in the world body
    ("Imran Khan warns of bloodbath in Kashmir in UN speech",
     "Pakistan's prime minister said it was time for the UN to take action on Kashmir.",
     {"pakistan": "welcomes_mediation"}),
    ("UN Security Council meets on Kashmir", "Pakistan's Maleeha Lodhi said the voice of the "
     "Kashmiri people had been heard in the world body.", {"pakistan": "welcomes_mediation"}),
    # an unnamed government denying any outside part in the two sides' own peace step is the
    # side whose baseline rejects outside roles (India in this watchlist)
    ("No decision on talks at any other place, say govt sources",
     "Government sources said the halt in firing was worked out directly between the two "
     "countries, after Rubio said India and Pakistan would start talks at a neutral site.",
     {"india": "rejects_mediation"}),
    # a reporter before "while" reports nothing after it
    ("Ceasefire with Pakistan",
     "Misri said Pakistan's DGMO had called his Indian counterpart, while Pakistan PM Shehbaz "
     "Sharif thanked the US President for his role for peace.", {"pakistan": "welcomes_mediation"}),
    # an outsider's diplomacy credited with the de-escalation, told by a side
    ("FO on China's role", "The Foreign Office said Beijing's constructive diplomacy had "
     "contributed to de-escalation with India.", {"pakistan": "welcomes_mediation"}),
    # worked alongside others to help secure; join a multilateral dialogue; play a part in
    ("UK played its part in securing India-Pakistan ceasefire",
     "Lammy said London had worked alongside the US to help secure the ceasefire.",
     {"united_kingdom": "offers_mediation"}),
    ("India cold-shoulders Erdogan's pitch that Turkey could join a multilateral dialogue on "
     "Kashmir", "", {"india": "rejects_mediation", "turkey": "offers_mediation"}),
    # "hits back" rebuffs, "back" there backs nothing
    ("MEA hits back after German FM says Berlin has a role on Kashmir", "",
     {"india": "rejects_mediation"}),
    # the sides a third party hopes will settle bilaterally: the hoper urges, they reject nothing
    ("Moscow hopes India, Pakistan will not aggravate the situation",
     "Moscow hopes New Delhi and Islamabad will settle their differences on a bilateral basis in "
     "line with the Simla Agreement.", {"russia": "urges_dialogue"}),
    # the sides urged to talk, then a new reporting clause: its offer is no step of theirs
    ("Ban ready to offer good offices to India, Pakistan",
     "The UN chief urges both sides to exercise restraint and address their differences through "
     "dialogue, his spokesman said, adding that his good offices are available.",
     {"united_nations": "offers_mediation"}),
    # a rejection inside a rejection is the rejecter's, not the one rejected
    ("India rejects China's interference in its internal affairs after UNSC meet on Kashmir", "",
     {"india": "rejects_mediation"}),
    # "participated in easing tensions"; "have engaged with Indian and Pakistani officials"
    ("Haley would not be surprised if Trump participated in easing India-Pakistan tensions", "",
     {"united_states": "offers_mediation"}),
    ("Rubio: Vance and I have engaged with senior Indian and Pakistani officials", "",
     {"united_states": "offers_mediation"}),
    # the one wanted to act is asked, not acting
    ("Dar seeks US help on Kashmir", "Dar said Pakistan wanted the United States to help bring "
     "India to the negotiating table.", {"pakistan": "welcomes_mediation"}),
    # prepositions in -ing are no gerund ("with US leaders during Operation Sindoor")
    ("MEA on Trump's trade claim", "The MEA said trade did not come up in any conversation with "
     "US leaders during Operation Sindoor and reiterated that J&K issues with Pakistan must be "
     "addressed bilaterally.", {"india": "rejects_mediation"}),
    # "asked whether the US brokered" is a question, no claim
    ("Jaishankar on the US role", "Asked whether the US brokered the ceasefire with Pakistan, "
     "Jaishankar said the US was in the US.", {}),
    # "should both accept" is a condition; the dispute called international; "busybodies"
    ("Ban offers good offices on Kashmir", "Ban Ki-moon is ready to offer his good offices "
     "should both India and Pakistan accept.", {"united_nations": "offers_mediation"}),
    ("UNSC takes up Kashmir", "Maleeha Lodhi said the meeting proved Kashmir was an "
     "international dispute, while India said it did not need international busybodies.",
     {"pakistan": "welcomes_mediation", "india": "rejects_mediation"}),
    # ", he said" after a quote that spans sentences: the last speaker named before it
    ("Mahathir at UN on Kashmir", "Malaysian PM Mahathir Mohamad told the UN General Assembly "
     "that Kashmir had been occupied. \"The problem must be solved by peaceful means. India should "
     "work with Pakistan to resolve this problem,\" he said.", {"malaysia": "urges_dialogue"}),
    # "find its place in" de-escalating; "Ambassador to the UN Maleeha Lodhi": the person speaks
    ("Haley says US would try to find its place in easing India-Pakistan tensions", "",
     {"united_states": "offers_mediation"}),
    ("UNSC meets on Kashmir", "Pakistan's Ambassador to the UN Maleeha Lodhi said the meeting "
     "was a first in decades. \"The voice of Kashmiris has been heard in the world body,\" she "
     "said.", {"pakistan": "welcomes_mediation"}),
    ("Gulf states hail India-Pakistan ceasefire",
     "Kuwait, Oman and Bahrain urged India and Pakistan to resolve differences through dialogue.",
     {"kuwait": "urges_dialogue", "oman": "urges_dialogue", "bahrain": "urges_dialogue"}),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_general_rules(
    matcher: Matcher, title: str, summary: str, expected: dict[str, str]
) -> None:
    assert_stances(matcher.match(title, summary), expected)


@pytest.mark.parametrize(
    "title",
    [
        "PCB seeks ICC mediation in row with BCCI over India tour",
        "Kashmir: mediation workshop for lawyers opens in Srinagar",
        "Pakistan and Afghanistan agree to talks; Qatar and Turkey to mediate",
        "UK court orders mediation in dispute between Indian tycoon and bank",
    ],
)
def test_decoys_stay_quiet(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).relevant
