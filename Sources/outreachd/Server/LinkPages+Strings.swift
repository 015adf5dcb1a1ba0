import Outreach

// The words of the built-in pages (confirm, unsubscribe, thank-you, sign-up errors), one table per
// language the starter templates ship. {list} and {address} are filled in by `LinkPages.fill`.
// Reviewed for each language: the form of address is the one its mail templates use (du in
// Danish and Swedish, Sie in German, tu in Italian, the polite plural in Greek), and sentences
// avoid articles and gendered forms that depend on a list title's grammar.
extension LinkPages {
    static let strings: [String: Strings] = [
        "en": Strings(
            lang: "en",
            unsubscribeTitle: "Unsubscribe",
            unsubscribeQuestion: "Stop sending {list} to {address}?",
            unsubscribeButton: "Unsubscribe",
            unsubscribedTitle: "You are unsubscribed",
            unsubscribedText: "{address} will no longer receive {list}.",
            confirmedTitle: "Subscription confirmed",
            confirmedText: "Thank you. You are now subscribed to {list}.",
            invalidTitle: "This link does not work",
            invalidText: "The link is incomplete or was not issued by us.",
            expiredText: "The link has expired.",
            allLists: "our mailings",
            confirmTitle: "Confirm your subscription",
            confirmQuestion: "Subscribe {address} to {list}?",
            confirmButton: "Confirm",
            staleText:
                "This link no longer subscribes you: you unsubscribed from {list} after it was sent. Sign up again to receive it.",
            pendingTitle: "Almost done",
            pendingText:
                "We have sent a message to {address}. Open the link in it to confirm your subscription to {list}.",
            failedTitle: "The sign-up did not work",
            badInputText: "Something in the form is missing or not valid. Please go back and check it.",
            tooManyText: "Too many sign-ups came from your address just now. Please try again in a few minutes.",
            unknownListText: "This form signs up for a list that does not exist. Please tell whoever runs the page.",
            serverErrorText: "Something went wrong on our side. Please try again later."
        ),
        "da": Strings(
            lang: "da",
            unsubscribeTitle: "Afmeld",
            unsubscribeQuestion: "Skal vi stoppe med at sende {list} til {address}?",
            unsubscribeButton: "Afmeld",
            unsubscribedTitle: "Du er afmeldt",
            unsubscribedText: "{address} modtager ikke længere {list}.",
            confirmedTitle: "Tilmelding bekræftet",
            confirmedText: "Tak. Du er nu tilmeldt {list}.",
            invalidTitle: "Linket virker ikke",
            invalidText: "Linket er ufuldstændigt eller ikke udstedt af os.",
            expiredText: "Linket er udløbet.",
            allLists: "vores udsendelser",
            confirmTitle: "Bekræft din tilmelding",
            confirmQuestion: "Tilmeld {address} til {list}?",
            confirmButton: "Bekræft",
            staleText:
                "Dette link tilmelder dig ikke længere: du afmeldte {list}, efter det blev sendt. Tilmeld dig igen for at modtage det.",
            pendingTitle: "Næsten færdig",
            pendingText:
                "Vi har sendt en besked til {address}. Åbn linket i den for at bekræfte din tilmelding til {list}.",
            failedTitle: "Tilmeldingen lykkedes ikke",
            badInputText: "Noget i formularen mangler eller er ikke gyldigt. Gå tilbage og tjek det.",
            tooManyText: "Der er kommet for mange tilmeldinger fra din adresse lige nu. Prøv igen om et par minutter.",
            unknownListText:
                "Formularen tilmelder til en liste, der ikke findes. Giv besked til den, der står for siden.",
            serverErrorText: "Noget gik galt hos os. Prøv igen senere."
        ),
        "sv": Strings(
            lang: "sv",
            unsubscribeTitle: "Avregistrera",
            unsubscribeQuestion: "Ska vi sluta skicka {list} till {address}?",
            unsubscribeButton: "Avregistrera",
            unsubscribedTitle: "Du är avregistrerad",
            unsubscribedText: "{address} får inte längre {list}.",
            confirmedTitle: "Prenumerationen är bekräftad",
            confirmedText: "Tack. Du prenumererar nu på {list}.",
            invalidTitle: "Länken fungerar inte",
            invalidText: "Länken är ofullständig eller inte utfärdad av oss.",
            expiredText: "Länken har gått ut.",
            allLists: "våra utskick",
            confirmTitle: "Bekräfta din prenumeration",
            confirmQuestion: "Prenumerera på {list} med {address}?",
            confirmButton: "Bekräfta",
            staleText:
                "Den här länken prenumererar dig inte längre: du avregistrerade dig från {list} efter att den skickades. Anmäl dig igen för att få det.",
            pendingTitle: "Nästan klart",
            pendingText:
                "Vi har skickat ett meddelande till {address}. Öppna länken i det för att bekräfta din prenumeration på {list}.",
            failedTitle: "Anmälan gick inte igenom",
            badInputText: "Något i formuläret saknas eller är ogiltigt. Gå tillbaka och kontrollera det.",
            tooManyText: "Det har kommit för många anmälningar från din adress just nu. Försök igen om några minuter.",
            unknownListText: "Formuläret gäller en lista som inte finns. Meddela den som ansvarar för sidan.",
            serverErrorText: "Något gick fel hos oss. Försök igen senare."
        ),
        "de": Strings(
            lang: "de",
            unsubscribeTitle: "Abmelden",
            unsubscribeQuestion: "Sollen wir aufhören, {list} an {address} zu senden?",
            unsubscribeButton: "Abmelden",
            unsubscribedTitle: "Sie sind abgemeldet",
            unsubscribedText: "{address} erhält {list} nicht mehr.",
            confirmedTitle: "Anmeldung bestätigt",
            confirmedText: "Danke. Sie haben {list} jetzt abonniert.",
            invalidTitle: "Dieser Link funktioniert nicht",
            invalidText: "Der Link ist unvollständig oder stammt nicht von uns.",
            expiredText: "Der Link ist abgelaufen.",
            allLists: "unsere Aussendungen",
            confirmTitle: "Anmeldung bestätigen",
            confirmQuestion: "{address} für {list} anmelden?",
            confirmButton: "Bestätigen",
            staleText:
                "Dieser Link meldet Sie nicht mehr an: Sie haben {list} abbestellt, nachdem er verschickt wurde. Melden Sie sich erneut an.",
            pendingTitle: "Fast geschafft",
            pendingText:
                "Wir haben eine Nachricht an {address} geschickt. Öffnen Sie den Link darin, um Ihre Anmeldung für {list} zu bestätigen.",
            failedTitle: "Die Anmeldung hat nicht geklappt",
            badInputText:
                "Im Formular fehlt etwas, oder eine Angabe ist ungültig. Bitte gehen Sie zurück und prüfen Sie es.",
            tooManyText:
                "Von Ihrer Adresse kamen gerade zu viele Anmeldungen. Bitte versuchen Sie es in ein paar Minuten erneut.",
            unknownListText:
                "Dieses Formular meldet für eine Liste an, die es nicht gibt. Bitte sagen Sie den Betreibern der Seite Bescheid.",
            serverErrorText: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es später erneut."
        ),
        "it": Strings(
            lang: "it",
            unsubscribeTitle: "Annulla l'iscrizione",
            unsubscribeQuestion: "Vuoi che smettiamo di inviare {list} a {address}?",
            unsubscribeButton: "Annulla l'iscrizione",
            unsubscribedTitle: "Iscrizione annullata",
            unsubscribedText: "{address} non riceverà più {list}.",
            confirmedTitle: "Iscrizione confermata",
            confirmedText: "Grazie. La tua iscrizione a {list} è attiva.",
            invalidTitle: "Questo link non funziona",
            invalidText: "Il link è incompleto o non è stato emesso da noi.",
            expiredText: "Il link è scaduto.",
            allLists: "le nostre comunicazioni",
            confirmTitle: "Conferma l'iscrizione",
            confirmQuestion: "Vuoi iscrivere {address} a {list}?",
            confirmButton: "Conferma",
            staleText:
                "Questo link non vale più per l'iscrizione: hai annullato l'iscrizione a {list} dopo che ti è stato inviato. Se vuoi ricevere di nuovo le nostre comunicazioni, iscriviti ancora.",
            pendingTitle: "Quasi fatto",
            pendingText:
                "Abbiamo inviato un messaggio a {address}. Apri il link che contiene per confermare l'iscrizione a {list}.",
            failedTitle: "L'iscrizione non è andata a buon fine",
            badInputText: "Nel modulo manca qualcosa o un dato non è valido. Torna indietro e controlla.",
            tooManyText: "Dal tuo indirizzo sono arrivate troppe iscrizioni in poco tempo. Riprova tra qualche minuto.",
            unknownListText: "Questo modulo iscrive a una lista che non esiste. Avvisa chi gestisce la pagina.",
            serverErrorText: "Qualcosa è andato storto da parte nostra. Riprova più tardi."
        ),
        "el": Strings(
            lang: "el",
            unsubscribeTitle: "Απεγγραφή",
            unsubscribeQuestion: "Να σταματήσουμε να στέλνουμε {list} στο {address};",
            unsubscribeButton: "Απεγγραφή",
            unsubscribedTitle: "Η απεγγραφή σας ολοκληρώθηκε",
            unsubscribedText: "Δεν θα στέλνουμε πλέον {list} στο {address}.",
            confirmedTitle: "Η εγγραφή επιβεβαιώθηκε",
            confirmedText: "Ευχαριστούμε. Από τώρα θα λαμβάνετε {list}.",
            invalidTitle: "Αυτός ο σύνδεσμος δεν λειτουργεί",
            invalidText: "Ο σύνδεσμος είναι ελλιπής ή δεν εκδόθηκε από εμάς.",
            expiredText: "Ο σύνδεσμος έχει λήξει.",
            allLists: "τις αποστολές μας",
            confirmTitle: "Επιβεβαίωση εγγραφής",
            confirmQuestion: "Να γίνει εγγραφή του {address} για {list};",
            confirmButton: "Επιβεβαίωση",
            staleText:
                "Αυτός ο σύνδεσμος δεν ισχύει πια για εγγραφή: κάνατε απεγγραφή από {list} αφού σας στάλθηκε. Για να λαμβάνετε ξανά τις αποστολές μας, κάντε νέα εγγραφή.",
            pendingTitle: "Σχεδόν έτοιμο",
            pendingText:
                "Στείλαμε ένα μήνυμα στο {address}. Ανοίξτε τον σύνδεσμο που περιέχει για να επιβεβαιώσετε την εγγραφή σας για {list}.",
            failedTitle: "Η εγγραφή δεν ολοκληρώθηκε",
            badInputText: "Κάτι λείπει από τη φόρμα ή δεν είναι έγκυρο. Επιστρέψτε και ελέγξτε το.",
            tooManyText: "Μόλις ήρθαν πάρα πολλές εγγραφές από τη διεύθυνσή σας. Δοκιμάστε ξανά σε λίγα λεπτά.",
            unknownListText:
                "Αυτή η φόρμα κάνει εγγραφή σε μια λίστα που δεν υπάρχει. Ενημερώστε όποιον διαχειρίζεται τη σελίδα.",
            serverErrorText: "Κάτι πήγε στραβά από τη μεριά μας. Δοκιμάστε ξανά αργότερα."
        ),
        "ar": Strings(
            lang: "ar",
            unsubscribeTitle: "إلغاء الاشتراك",
            unsubscribeQuestion: "هل تريد أن نتوقف عن إرسال {list} إلى {address}؟",
            unsubscribeButton: "إلغاء الاشتراك",
            unsubscribedTitle: "تم إلغاء اشتراكك",
            unsubscribedText: "لن يصل {list} إلى {address} بعد الآن.",
            confirmedTitle: "تم تأكيد الاشتراك",
            confirmedText: "شكرًا لك. أنت الآن مشترك في {list}.",
            invalidTitle: "هذا الرابط لا يعمل",
            invalidText: "الرابط غير مكتمل أو لم يصدر عنّا.",
            expiredText: "انتهت صلاحية الرابط.",
            allLists: "رسائلنا",
            confirmTitle: "تأكيد اشتراكك",
            confirmQuestion: "هل تريد اشتراك {address} في {list}؟",
            confirmButton: "تأكيد",
            staleText:
                "لم يعد هذا الرابط صالحًا للاشتراك: فقد ألغيت اشتراكك في {list} بعد إرساله. اشترك من جديد لتصلك رسائلنا.",
            pendingTitle: "بقيت خطوة واحدة",
            pendingText: "أرسلنا رسالة إلى {address}. افتح الرابط الموجود فيها لتأكيد اشتراكك في {list}.",
            failedTitle: "لم يتم الاشتراك",
            badInputText: "في النموذج حقل ناقص أو غير صالح. يُرجى الرجوع والتحقق منه.",
            tooManyText: "وصلتنا للتو طلبات اشتراك كثيرة من عنوانك. يُرجى المحاولة مرة أخرى بعد بضع دقائق.",
            unknownListText: "هذا النموذج مخصص لقائمة غير موجودة. يُرجى إبلاغ المسؤول عن الصفحة.",
            serverErrorText: "حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى لاحقًا."
        ),
        "fa": Strings(
            lang: "fa",
            unsubscribeTitle: "لغو اشتراک",
            unsubscribeQuestion: "ارسال {list} به {address} متوقف شود؟",
            unsubscribeButton: "لغو اشتراک",
            unsubscribedTitle: "اشتراک شما لغو شد",
            unsubscribedText: "از این پس {list} به {address} فرستاده نمی\u{200C}شود.",
            confirmedTitle: "اشتراک تأیید شد",
            confirmedText: "سپاسگزاریم. اکنون مشترک {list} هستید.",
            invalidTitle: "این پیوند کار نمی\u{200C}کند",
            invalidText: "پیوند ناقص است یا از طرف ما صادر نشده است.",
            expiredText: "این پیوند منقضی شده است.",
            allLists: "پیام\u{200C}های ما",
            confirmTitle: "تأیید اشتراک",
            confirmQuestion: "{address} مشترک {list} شود؟",
            confirmButton: "تأیید",
            staleText:
                "این پیوند دیگر شما را مشترک نمی\u{200C}کند: پس از ارسال آن، اشتراک {list} را لغو کرده\u{200C}اید. برای دریافت دوباره، از نو ثبت\u{200C}نام کنید.",
            pendingTitle: "تقریباً تمام شد",
            pendingText: "پیامی به {address} فرستادیم. برای تأیید اشتراک {list}، پیوند داخل آن را باز کنید.",
            failedTitle: "ثبت\u{200C}نام انجام نشد",
            badInputText: "چیزی در فرم جا افتاده یا نامعتبر است. لطفاً برگردید و آن را بررسی کنید.",
            tooManyText:
                "همین حالا ثبت\u{200C}نام\u{200C}های زیادی از نشانی شما رسیده است. لطفاً چند دقیقهٔ دیگر دوباره تلاش کنید.",
            unknownListText: "این فرم برای فهرستی است که وجود ندارد. لطفاً به گردانندهٔ صفحه اطلاع دهید.",
            serverErrorText: "مشکلی در سمت ما پیش آمد. لطفاً بعداً دوباره تلاش کنید."
        ),
    ]
}
