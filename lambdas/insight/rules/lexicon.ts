import type { Locale } from '#kernel/survey.ts';

/**
 * What words say about a customer's experience, per language: written for Pulso from the words customers use in
 * surveys of shops, restaurants, hotels, deliveries, support and travel (no third-party lexicon or data). Weights
 * run from -4 (the worst) to 4 (the best). A word matches every word of its Snowball stem ("atendieron" matches
 * "atención"'s stem), or with a leading `=` only that word (English "liked", not "like"). A phrase matches its
 * words' stems in a row and is read before the words it holds; one that holds its own negation ("não recebi") is
 * not negated again.
 */
export interface Lexicon {
  /** Weight -> words, separated by spaces. */
  readonly words: Readonly<Record<string, string>>;
  /** Phrase -> weight. */
  readonly phrases: Readonly<Record<string, number>>;
  /** Words that turn the next few words around ("no me gustó", "não foi ruim", "not bad"). */
  readonly negators: string;
  /** Words that make the next weighed word stronger ("muy amable"), and phrases that do ("sin duda"). */
  readonly intensifiers: string;
  /** Words and phrases that make it weaker ("un poco lento"). */
  readonly diminishers: string;
  /** Words that weaken what came before them in the sentence and strengthen what comes after ("pero"). */
  readonly contrasts: string;
  /** Words weighed only when no weighed word follows them, else they make it stronger (Portuguese "bem"). */
  readonly either?: string;
}

const EN: Lexicon = {
  words: {
    '3.5':
      'outstanding exceptional phenomenal superb flawless impeccable magnificent =loved =love =loves =loving',
    '3': 'excellent amazing awesome fantastic wonderful perfect perfectly brilliant incredible terrific fabulous delightful =best spectacular stellar superb marvelous marvellous exquisite',
    '2.5':
      'great lovely delicious recommend recommended impressed =enjoyed =enjoy =enjoying gorgeous beautiful happy happiness =glad thrilled mesmerising mesmerizing =helpful =helpfull attentive professional =friendly =friendliest superb awesome kudos =thanks =thank =thankyou appreciate appreciated grateful courteous =pleased satisfied =favorite =favourite',
    '2': 'good nice clean fast quick quickly efficient polite pleasant comfortable comfy cozy tasty fresh reliable smooth easy welcoming =kind fun cool prompt punctual =liked =likes spacious charming generous worth yay wow solved fixed resolved =love',
    '1.5':
      '=helped =helps affordable decent quiet convenient accommodating funny fascinating sublime classic =thx =thnx =ty bargain',
    '1': '=fine okay reasonable =works =worked =working =well warm correct glad',
    '-0.5': '=help =need =should =why =still cheap =minutes',
    '-1': 'expensive wait waiting waited noisy noise crowded cramped confusing difficult =hold meh tiny stuck cold bland',
    '-1.5':
      'slow late problem problems issue issues mediocre unfortunately sadly lacking refund charged fee fees overcrowded greasy outdated',
    '-2': 'poor poorly delay delayed delays wrong missing lost broken broke damaged cancel cancelled canceled cancellation upset annoying annoyed mess messy overpriced smelly smell stink stinks sad worse uncomfortable unreliable unhelpful ignored ignoring complaint complain complained error bug crashed stranded misconnect sorry hassle tired joke boring bored dull regret lie lied overcooked undercooked burnt soggy tasteless stale incorrect rushed impatient hung nobody =hours =hrs frustrating frustrated frustration defect stupid dumb dumbest damn jerk jerks lousy nasty',
    '-2.5':
      'bad disappointing disappointed disappointment dirty rude unfriendly useless ridiculous fail failed fails failure waste avoid shame unprofessional insult angry furious fraud liar careless inconsiderate neglected',
    '-3': 'terrible horrible awful disgusting unacceptable pathetic incompetent hate hated hates sucks suck sucked crap crappy garbage trash nightmare disaster scam worthless inedible filthy ruined disrespectful atrocious horrendous appalling dreadful wtf ugh smh shit shitty bullshit pissed fuck fucking horrid',
    '-3.5': '=worst',
  },
  phrases: {
    'on time': 2,
    'no problem': 1.5,
    'no problems': 1.5,
    'no issues': 1.5,
    'no complaints': 2,
    'top notch': 3,
    'well done': 2.5,
    'thank you': 2.5,
    'five stars': 3,
    '5 stars': 3,
    'one star': -3,
    'a must': 2.5,
    'will be back': 2,
    'come back': 1.5,
    'coming back': 1.5,
    'waste of': -3,
    "don't waste": -3,
    'dont waste': -3,
    'do not waste': -3,
    "don't bother": -2.5,
    'do not bother': -2.5,
    "don't buy": -3,
    'do not buy': -3,
    'not my thing': -2,
    "didn't like": -2.5,
    "don't like": -2.5,
    'did not like': -2.5,
    'do not like': -2.5,
    'didnt like': -2.5,
    'at best': -1.5,
    'nothing short of': 0,
    "can't wait": 2,
    'cant wait': 2,
    'should have': -1.5,
    'go back': 1.5,
    '10 out of 10': 3,
    'never again': -3.5,
    'never received': -3,
    'not received': -3,
    'never arrived': -3,
    'still waiting': -2.5,
    'on hold': -2,
    'not working': -2.5,
    "doesn't work": -2.5,
    'does not work': -2.5,
    'stopped working': -3,
    'rip off': -3,
    'ripped off': -3,
    'customer service': 0,
    'not only': 0,
    'no doubt': 0,
  },
  negators:
    "not no never nothing none nobody neither nor without hardly barely cannot can't don't didn't doesn't isn't wasn't weren't aren't won't wouldn't couldn't shouldn't haven't hasn't hadn't ain't dont didnt doesnt isnt wasnt wont cant couldnt",
  intensifiers:
    'very really so extremely super totally absolutely incredibly too highly truly completely most especially exceptionally remarkably seriously utterly insanely ridiculously, at all, by far, no doubt',
  diminishers: 'slightly somewhat fairly rather kinda, a bit, a little, kind of, sort of',
  contrasts: 'but however though although yet',
};

const ES: Lexicon = {
  words: {
    '3.5':
      'inmejorable insuperable espectacular impecable maravilloso maravilla =encanto =encanta =encantó =encantaron =encantado =encantada =encantados',
    '3': 'excelente excelentes estupendo fantastico perfecto perfecta increible genial magnifico exquisito delicioso riquisimo buenisimo buenisima espectaculares sobresaliente extraordinario fenomenal formidable =mejor =mejores insuperables lujo',
    '2.5':
      'recomendable recomiendo recomendamos recomendar recomendado amable amables amabilidad encantador encantadora agradecido agradecidos felicidades felicitar enhorabuena servicial serviciales precioso preciosa =feliz =felices acogedor acogedora atentisimo atentos atento atenta satisfecho satisfecha satisfechos =gracias agradecer agradezco top',
    '2': 'bueno buena buenos buenas =buen rico rica ricos sabroso sabrosa simpatico simpatica agradable limpio limpia limpios comodo comoda rapido rapida rapidos eficiente eficaz profesional profesionales contento contenta contentos bonito bonita lindo linda =gusto =gustó =gusta =gustaron =gustan =gustado disfrutar disfrutamos disfrute ideal puntual divertido acertado acierto guay chevere chido bacan generoso generosa abundante fresco fresca solucionaron solucionado resuelto',
    '1.5':
      '=bien amplio amplia espacioso tranquilo tranquila =volveremos =volveré =volvere =repetiremos =repetir economico economica ayudaron',
    '1': 'correcto correcta correctos decente razonable aceptable funciona funciono =funcionó barato cumple cumplio =cumplió',
    '-0.5': 'normalito',
    '-1': 'regular =espera =esperando esperamos esperar frio fria ruido ruidos =tarde duro dura viejo vieja pequeno pequena =falta',
    '-1.5':
      'lento lenta lentos lentitud caro cara caros problema problemas soso sosa escaso escasa escasos mejorable =mejorar crudo cruda aceitoso perdida lio reclamar ruidoso ruidosa anticuado',
    '-2': 'demora demoraron tardaron retraso retrasos error errores equivocado equivocada equivocaron roto rota mediocre queja quejas reclamacion molesto molesta molestia enfadado triste insipido grasiento quemado quemada cancelaron cancelado cancelaron perdido perdieron fallo fallos falla incomodo incomoda faltó faltaron faltaba deteriorado deteriorada desorganizado desorganizacion caotico agobiante humedad olor lastima carisimo carisima =pena',
    '-2.5':
      'mal malo mala malos malas decepcion decepcionante decepcionado decepcionada sucio sucia sucios suciedad antipatico antipatica desagradable desatento desatenta defectuoso estropeado engano enganoso mentira frustrante inutil abusivo cutre evitar grosero grosera descortes ineficiente',
    '-3': 'horrible horribles terrible terribles fatal asqueroso asquerosa asco desastre desastroso lamentable deplorable vergonzoso verguenza penoso nefasto =peor =peores inaceptable incompetente estafa timo robo odio basura porqueria horror horroroso cucarachas chinches maleducado maleducados',
    '-3.5': 'pesimo pesima pesimos mierda',
  },
  phrases: {
    'vale la pena': 2.5,
    'merece la pena': 2.5,
    'valió la pena': 2.5,
    'de lujo': 3,
    'de primera': 2.5,
    'de diez': 3,
    'un diez': 3,
    'chuparse los dedos': 3,
    'sin problemas': 1.5,
    'sin problema': 1.5,
    'sin queja': 2,
    'sin quejas': 2,
    'ni fu ni fa': -0.5,
    'tomadura de pelo': -3,
    'mucho que desear': -2.5,
    'no volveremos': -3,
    'no volveré': -3,
    'no volvere': -3,
    'nunca más': -3,
    'nunca mas': -3,
    'no funciona': -2.5,
    'no llegó': -3,
    'no llego': -3,
    'no me llegó': -3,
    'no me llego': -3,
    'a tiempo': 1.5,
    'mal olor': -2.5,
    'por favor': 0,
    'sin embargo': 0,
    'sin duda': 0,
    'no obstante': 0,
  },
  negators: 'no nunca jamas ni nada nadie ningun ninguno ninguna tampoco sin apenas poco poca, para nada',
  intensifiers:
    'muy mucho muchisimo muchisima super tan totalmente realmente bastante demasiado extremadamente sumamente increiblemente mega re mas =súper absolutamente, sin duda, de verdad',
  diminishers: 'algo ligeramente medio, un poco, un poquito, un tanto',
  contrasts: 'pero aunque sino, sin embargo, no obstante',
};

const PT: Lexicon = {
  words: {
    '3.5':
      'otimo otima otimos otimas perfeito perfeita perfeitos perfeitamente maravilhoso maravilhosa =adorei =adoro =amei =amo =amamos =adoramos excelente excelentes',
    '3': 'incrivel sensacional fantastico fantastica espetacular maravilha show =parabens parabens impecavel nota10 excepcional excelencia =melhor =melhores',
    '2.5':
      'recomendo recomendar recomendado recomendadissimo satisfeito satisfeita satisfeitos =feliz =felizes atencioso atenciosa atenciosos prestativo prestativa lindo linda lindos lindas delicioso deliciosa superou superaram confiavel top rapidissimo rapidissima agradeco =obrigado =obrigada encantado encantada',
    '2': 'eficiencia bom boa bons boas legal bacana bonito bonita =gostei =gostamos =gosto =gostou gostoso gostosa rapido rapida rapidos rapidas rapidez agil eficiente pontual pontualmente educado educada educados simpatico simpatica limpo limpa confortavel contente saboroso saborosa certinho certinha correto correta corretos resolvido resolveram resolveu seguro segura conforme =valeu tranquilo tranquila caprichado',
    '1.5':
      'barato barata ajudou ajudaram beleza qualidade funciona funcionando funcionou cumpriu cumpre pratico pratica facil indico indicaria =aprovei =aprovado =atendeu =atende =atenderam',
    '1': 'ok razoavel aceitavel normal =entregou =entregaram =entregue =entregam',
    '-1': 'frio fria caro cara =espera demorado demorada pequeno pequena =falta duvida',
    '-1.5':
      'lento lenta problema problemas reclamar devolver devolucao reembolso estorno aguardando esperando ainda sumiu regular mediano mediana barulho barulhento',
    '-2': 'atraso atrasado atrasada atrasou atrasaram demorou demoraram demora errado errada errados erradas erro faltando faltou faltaram reclamacao cancelar cancelamento cancelaram cancelado triste quebrou insatisfeito insatisfeita desorganizado danificado danificada amassado amassada riscado riscada trocado trocada =mal =mau =má diferente incompleto incompleta fragil inferior duvidosa duvidoso avaria avarias rasgado rasgada amacado amacada fraquinho =esperava deveria poderia poderiam merda',
    '-2.5':
      'ruim ruins decepcao decepcionado decepcionada decepcionante decepcionou quebrado quebrada defeito defeituoso defeituosa estragado estragada sujo suja grosso grossa grosseiro grosseira extraviado extraviada enganado enganada enganacao mentira desrespeito descaso absurdo enrolacao enrolando enrolaram fraco fraca',
    '-3': 'horrivel horriveis terrivel terriveis pior piores lixo porcaria vergonha lamentavel inaceitavel incompetente incompetencia golpe fraude roubo pessimo pessima pessimos pessimas',
    '-3.5': '=pessimo =pessima',
  },
  phrases: {
    'vale a pena': 2.5,
    'valeu a pena': 2.5,
    'antes do prazo': 3,
    'dentro do prazo': 2,
    'no prazo': 2,
    'no prazo certo': 2,
    'nota 10': 3,
    'nota dez': 3,
    '10 de 10': 3,
    'custo beneficio': 2,
    'bem embalado': 2.5,
    'bem embalada': 2.5,
    'conforme descrito': 2,
    'conforme anunciado': 2,
    'tudo certo': 2.5,
    'tudo ok': 2,
    'sem problemas': 1.5,
    'sem problema': 1.5,
    'nada a reclamar': 2.5,
    'não é o que esperava': -2.5,
    'antes do previsto': 2.5,
    'prazo antecipado': 2.5,
    'de acordo com': 1.5,
    'só veio': -2.5,
    'so veio': -2.5,
    'veio apenas': -2.5,
    'veio só': -2.5,
    'só chegou': -2.5,
    'chegou apenas': -2.5,
    'recebi apenas': -2.5,
    'recebi só': -2.5,
    'recebi so': -2.5,
    'veio menor': -2,
    'veio maior': -2,
    'veio outro': -2,
    'veio outra': -2,
    'esperava mais': -2,
    'não entregou': -3,
    'não entregaram': -3,
    'não entregam': -3,
    'não me entregaram': -3,
    'deixou de funcionar': -3,
    'não recebi': -3.5,
    'nao recebi': -3.5,
    'não recebemos': -3.5,
    'nao recebemos': -3.5,
    'não chegou': -3,
    'nao chegou': -3,
    'não veio': -2.5,
    'nao veio': -2.5,
    'não funciona': -3,
    'nao funciona': -3,
    'parou de funcionar': -3,
    'nunca mais': -3,
    'não recomendo': -3.5,
    'nao recomendo': -3.5,
    'mal educado': -3,
    'mal atendido': -3,
    'mal embalado': -2.5,
    'mal feito': -2.5,
    'até agora': -1.5,
    'ate agora': -1.5,
    'até o momento': -1.5,
    'ate o momento': -1.5,
    'por favor': 0,
    'sem dúvida': 0,
    'sem duvida': 0,
  },
  negators: 'nao nunca jamais nem nada ninguem nenhum nenhuma sem tampouco pouco pouca',
  intensifiers:
    'muito muita muitos muitas super tao totalmente realmente bastante extremamente mega demais mais absolutamente, sem duvida, de verdade',
  diminishers: 'meio ligeiramente levemente razoavelmente, um pouco, um pouquinho, meio que',
  contrasts: 'mas porem contudo entretanto todavia embora, so que',
  either: 'bem',
};

export const LEXICONS: Readonly<Record<Locale, Lexicon>> = { en: EN, es: ES, pt: PT };

/** Emoji and faces typed as text, in every language. */
export const EMOJI: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    [...'😀😃😄😁😊🙂😍🥰😘😻👍👏💯❤💕💖💗💙💚💜🙌✨⭐🌟🎉🥳😎🤩👌💪🙏☺😇'].map((e) => [e, 2]),
  ),
  ...Object.fromEntries([...'😡😠🤬😤😞😔😢😭😩😫👎💩🤮🤢🙄😒😕🙁☹😣😖😓😥😰😱💔'].map((e) => [e, -2])),
  ':)': 2,
  ':-)': 2,
  ':D': 2,
  ':-D': 2,
  '=)': 2,
  ';)': 1.5,
  '<3': 2.5,
  ':(': -2,
  ':-(': -2,
  ":'(": -2.5,
  ':/': -1,
  ':-/': -1,
};
